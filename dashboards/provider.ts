/** Where provisioned dashboards live inside the Grafana container. */
export const DASHBOARDS_DIR = '/etc/grafana/dashboards';

/** The file provider that loads every dashboard JSON in DASHBOARDS_DIR, read-only in the UI. */
export function dashboardProvider(): Record<string, unknown> {
  return {
    apiVersion: 1,
    providers: [
      {
        name: 'observatory',
        orgId: 1,
        folder: 'Observatory',
        folderUid: 'observatory',
        type: 'file',
        disableDeletion: true,
        allowUiUpdates: false,
        updateIntervalSeconds: 30,
        options: { path: DASHBOARDS_DIR, foldersFromFilesStructure: false },
      },
    ],
  };
}
