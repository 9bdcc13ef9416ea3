// Property tests run on a fixed seed so a CI run is reproducible; FC_SEED=random explores new inputs
// (a failure prints its seed and path: set FC_SEED to that seed to replay it).
import fc from 'fast-check';

const wanted = process.env.FC_SEED;
if (wanted !== 'random') fc.configureGlobal({ seed: wanted ? Number(wanted) : 20261126 });
