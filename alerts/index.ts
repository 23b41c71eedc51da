/** The alerting API of the package: the typed rule model, the rule and runbook generators, Alertmanager routing. */
export type { AlertDefinition, AlertVariant, RecordingRule, RuleFileModel, RuleGroup, Runbook, RunbookQuery, SymptomOf } from './rule-model.js';
export { severities, severityRoutes, routeOf, HEARTBEAT, type AlertLevel, type Severity, type SeverityRoute } from './severity.js';
export { alertDefinitions, renderRuleFile, ruleFileModels, stackRuleFiles, type RuleFile } from './rule-files.js';
export { stackAlerts } from './stack-alerts.js';
export { kubernetesAlerts } from './kubernetes-alerts.js';
export { watchdog, WATCHDOG } from './watchdog.js';
export { serviceAlerts, errorRateTiers } from './service-alerts.js';
export { sloRuleGroups, sliWindows, sliErrorRatio, sliBadEvents, errorBudget, SLO_OBJECTIVE, SLO_BUDGET_REMAINING } from './slo-rules.js';
export { burnRateWindows, burnFactor, LONGEST_BURN_WINDOW } from '../model/burn-rate-windows.js';
export { alertmanagerConfig, routesOf } from './alertmanager-config.js';
export { alertDeliveryGaps } from './delivery-gaps.js';
export { renderRunbook, runbookFiles } from './runbooks.js';
export { runbookUrl } from './runbook-url.js';
export { errorBurstExpectation, type ErrorBurstExpectation } from './error-burst-expectation.js';
