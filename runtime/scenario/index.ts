// Scripted call tests (`ivr-studio test`) and the --dtmf script of `ivr-studio simulate`.
export { runScenario, formatScenarioReport, type ScenarioResult, type RunScenarioOptions } from './run';
export { parseScenario, Scenario, Expectations, type ParseScenarioResult } from './schema';
export { callFacts, checkExpectations, type CallFacts } from './expect';
export { parseDtmfScript, dtmfScriptErrors, DTMF_PAUSE_MS } from './dtmf';
