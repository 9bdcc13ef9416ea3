// Deploying an environment to a CommuniGate Pro server through its CLI (docs/deploy.md): the data
// format, the PWD and HTTP transports, the local environment, the plan, the deploy itself.
export {
  encodeCli,
  decodeCli,
  quoteString,
  cliEqual,
  describeCli,
  IpAddress,
  type CliValue,
  type CliDict,
} from './cliData';
export * from './connection';
export { connectCli } from './connect';
export { connectPwd, PWD_PORT } from './pwd';
export { connectHttp, HTTP_PORT, HTTPS_PORT } from './httpCli';
export { readEnvironment, EnvironmentError, type LocalEnvironment, type LocalFile } from './localEnv';
export { planFiles, parseListing, type FilePlan, type RemoteListing } from './plan';
export { wantedAccounts, accountChange, RULE_PREFIX, type AccountChange } from './accounts';
export { deployEnvironment, DeployError, type DeployOptions, type DeployEvent, type DeployResult } from './deploy';
export { runDeploy, parseServer, DeployRunError, type DeployRequest } from './run';
