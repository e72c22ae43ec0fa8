/**
 * Every `data-testid` the UI carries, in one place: the screens take them from here, and so do
 * the end-to-end tests, so a renamed id breaks the build rather than a test run. The strings
 * are a public surface (outside scripts drive the UI by them, docs/architecture.md lists them):
 * they change only on purpose. Plain strings and functions only — this module is imported by
 * Node-side tests too, so it imports nothing.
 */

/** A name (device, parameter, container, component) as it appears in a test id: each run of white space becomes `_`. */
export function idPart(text: string): string {
  return text.replace(/\s+/g, '_');
}

/** The ids a component derives from the id it is given (its message, its dialog's buttons). */
export const derived = {
  /** An ErrorAlert's message text. */
  message: (base: string) => `${base}-message`,
  /** A ConfirmDialog's buttons and error. */
  confirm: (base: string) => `${base}-confirm`,
  cancel: (base: string) => `${base}-cancel`,
  error: (base: string) => `${base}-error`,
  /** A picked file's name, beside its button. */
  fileName: (base: string) => `${base}-name`,
  /** A failure's "Details" button and what it discloses (the raw error). */
  details: (base: string) => `${base}-details`,
  detailsText: (base: string) => `${base}-details-text`,
  /** A component's drift (what was changed outside Commissioner), under its state. */
  drift: (base: string) => `${base}-drift`,
} as const;

/** The device dialog's ids start with `device-add` or `device-edit`. */
const deviceDialog = (editing: boolean) => (editing ? 'device-edit' : 'device-add');

export const testIds = {
  shell: {
    nav: 'nav',
    navTo: (screen: string) => `nav-${screen}`,
    navCollapse: 'nav-collapse',
    themeToggle: 'theme-toggle',
    connectionLost: 'connection-lost',
    appError: 'app-error',
    appRetry: 'app-retry',
    /** Shown when nothing more specific is named. */
    error: 'error',
    /** The view open at the last load failed, so this load opened the catalog: says so. */
    routeSkipped: 'route-skipped',
    /** In place of a view that failed to draw; the navigation stays. */
    screenFailed: 'screen-failed',
    screenFailedCatalog: 'screen-failed-catalog',
    /** While a screen's code is fetched, the first time it opens. */
    screenLoading: 'screen-loading',
    /** In place of the whole window when the app itself failed to draw. */
    appFailed: 'app-failed',
    appFailedReload: 'app-failed-reload',
    /** The browser host with accounts: who is logged in (`data-role`), and Log out. */
    sessionAccount: 'session-account',
    sessionLogout: 'session-logout',
  },
  /** The browser host's login page (served by the host, not the app). */
  login: {
    form: 'login-form',
    name: 'login-name',
    password: 'login-password',
    submit: 'login-submit',
    notice: 'login-notice',
  },
  packageContent: {
    /** In place of a piece of a package (text, icon, names, findings) that failed to draw. */
    unavailable: 'package-content-unavailable',
    /** Above a package text shown as plain text instead of formatted: says why. */
    plainNote: 'package-text-plain-note',
  },
  jobs: {
    tray: 'job-tray',
    trayToggle: 'job-tray-toggle',
    /** Clears the finished jobs from the tray (shown while it is open and has some). */
    clearFinished: 'job-tray-clear-finished',
    /** The tray's list region (an element id, for aria-controls, not a test id). */
    trayListElement: 'job-tray-list',
    job: (id: string) => `job-${id}`,
    jobError: (id: string) => `job-${id}-error`,
    jobSummary: (id: string) => `job-${id}-summary`,
    jobOpen: (id: string) => `job-${id}-open`,
    jobItem: (id: string, index: number) => `job-${id}-item-${index}`,
    listError: 'jobs-error',
  },
  catalog: {
    screen: 'screen-catalog',
    search: 'catalog-search',
    filterTag: 'filter-tag',
    filterOrganization: 'filter-organization',
    filterType: 'filter-type',
    filterRunsOn: 'filter-runs-on',
    viewGrid: 'catalog-view-grid',
    viewList: 'catalog-view-list',
    count: 'catalog-count',
    clear: 'catalog-clear',
    results: 'catalog-results',
    item: (appId: string) => `catalog-item-${appId}`,
    /** An app's signature badge (`data-verdict` verified, unsigned or invalid). */
    trust: (appId: string) => `catalog-trust-${appId}`,
    /** A card's "Runs on 3 of 5 devices". */
    reach: (appId: string) => `catalog-reach-${appId}`,
    /** A card's badge when a profile needs access to the device itself. */
    hostAccess: (appId: string) => `catalog-host-access-${appId}`,
    empty: 'catalog-empty',
    emptyFiltered: 'catalog-empty-filtered',
    clearFilters: 'catalog-clear-filters',
    goImport: 'catalog-go-import',
    importDemo: 'import-demo',
    importDemoError: 'import-demo-error',
    error: 'catalog-error',
    filtersError: 'catalog-filters-error',
  },
  app: {
    detail: 'app-detail',
    name: 'app-detail-name',
    version: 'app-detail-version',
    close: 'app-detail-close',
    remove: 'app-detail-remove',
    removeDialog: 'app-remove-dialog',
    deploy: 'app-deploy',
    compat: 'app-compat',
    compatDevice: (device: string) => `app-compat-${idPart(device)}`,
    compatNone: 'app-compat-none',
    description: 'app-description',
    releaseNotes: 'app-release-notes',
    license: 'app-license',
    profiles: 'app-profiles',
    profile: (id: string) => `app-profile-${id}`,
    requirements: (profileId: string) => `app-requirements-${profileId}`,
    findings: 'app-findings',
    hostAccess: 'app-host-access',
    hostAccessProfile: (profileId: string) => `app-host-access-${idPart(profileId)}`,
    /** The Signatures section, and each artifact in it by its digest (`data-verdict`). */
    signatures: 'app-signatures',
    signature: (digest: string) => `app-signature-${digest}`,
    package: 'app-package',
    error: 'app-detail-error',
  },
  imports: {
    screen: 'screen-import',
    /** In place of the import controls for a role that may not import: says so and whom to ask. */
    roleRefused: 'import-role-refused',
    demo: 'import-demo',
    dropzone: 'import-dropzone',
    dropNote: 'import-drop-note',
    kit: 'import-kit',
    folder: 'import-folder',
    /** The hidden file input the browser's chooser is opened through. */
    fileInput: (purpose: string) => `file-input-${purpose}`,
    registryForm: 'import-registry-form',
    registryReference: 'import-registry-reference',
    registryUsername: 'import-registry-username',
    registryPassword: 'import-registry-password',
    registryCa: 'import-registry-ca',
    registryCaName: 'import-registry-ca-name',
    registryWithDependencies: 'import-registry-with-dependencies',
    registryPlainHttp: 'import-registry-plain-http',
    registrySubmit: 'import-registry-submit',
    registryError: 'import-registry-error',
    job: 'import-job',
    jobError: 'import-job-error',
    noJob: 'import-no-job',
    result: 'import-result',
    resultSummary: 'import-result-summary',
    resultPart: (
      part:
        'imported' | 'unchanged' | 'conflicts' | 'invalid' | 'refused' | 'unreadable' | 'skipped',
    ) => `import-result-${part}`,
    history: 'import-history',
    error: 'import-error',
  },
  devices: {
    screen: 'screen-devices',
    add: 'device-add',
    probeAll: 'device-probe-all',
    probeNotice: 'device-probe-notice',
    empty: 'devices-empty',
    error: 'devices-error',
    row: (name: string) => `device-row-${idPart(name)}`,
    /** The Actions column's header (it must stay on screen with a device open). */
    actionsHeader: 'devices-actions-header',
    open: (name: string) => `device-open-${idPart(name)}`,
    probe: (name: string) => `device-probe-${idPart(name)}`,
    edit: (name: string) => `device-edit-${idPart(name)}`,
    remove: (name: string) => `device-remove-${idPart(name)}`,
    reachability: (name: string) => `device-reachability-${idPart(name)}`,
    /** The detail's list of deployments the device runs (any laptop's), and Adopt. */
    deployments: 'device-deployments',
    deployment: (appId: string) => `device-deployment-${idPart(appId)}`,
    adopt: (appId: string) => `device-adopt-${idPart(appId)}`,
    adoptError: 'device-adopt-error',
    /** The commissioning report: per device (`device-report-<name>`) or of the whole plant. */
    report: (name: string) => `device-report-${idPart(name)}`,
    reportAll: 'devices-report',
    /** The report's formats (browser: PDF or HTML), what was made (`data-digest`), the error. */
    reportFormat: (format: 'pdf' | 'html') => `report-format-${format}`,
    reportMade: 'report-made',
    reportError: 'report-error',
    /** The add or edit dialog (`device-add`, `device-edit`), and its fields by key. */
    dialog: (editing: boolean) => `${deviceDialog(editing)}-dialog`,
    /** The dialog's title (an element id, for aria-labelledby). */
    dialogTitle: (editing: boolean) => `${deviceDialog(editing)}-title`,
    dialogField: (editing: boolean, key: string) => `${deviceDialog(editing)}-${key}`,
    dialogSubmit: (editing: boolean) => `${deviceDialog(editing)}-submit`,
    dialogCancel: (editing: boolean) => `${deviceDialog(editing)}-cancel`,
    dialogError: (editing: boolean) => `${deviceDialog(editing)}-error`,
    addName: 'device-add-name',
    addHost: 'device-add-host',
    addTlsCa: 'device-add-tls-ca',
    addTlsCert: 'device-add-tls-cert',
    addTlsKey: 'device-add-tls-key',
    addIdentity: 'device-add-identity',
    addPlainTcp: 'device-add-plain-tcp',
    addPlainTcpWarning: 'device-add-plain-tcp-warning',
    addSshFingerprint: 'device-add-ssh-fingerprint',
    addSshAgent: 'device-add-ssh-agent',
    /** After an add with something to show (the host key accepted, warnings), before Done. */
    added: 'device-added',
    addedHostKey: 'device-added-host-key',
    addedWarnings: 'device-added-warnings',
    addedDone: 'device-added-done',
    addDialog: 'device-add-dialog',
    addSubmit: 'device-add-submit',
    editDialog: 'device-edit-dialog',
    detail: 'device-detail',
    detailFacts: 'device-detail-facts',
    detailCapabilities: 'device-detail-capabilities',
    detailUnknown: 'device-detail-unknown',
    detailError: 'device-detail-error',
    detailHostKey: 'device-detail-host-key',
    detailClose: 'device-detail-close',
    /** The device's host-access setting (`data-value` allow or deny) and its error. */
    hostAccess: 'device-host-access',
    hostAccessError: 'device-host-access-error',
    removeDialog: 'device-remove-dialog',
  },
  compat: {
    screen: 'screen-compat',
    filter: 'compat-filter',
    matrix: 'compat-matrix',
    row: (appId: string) => `compat-row-${appId}`,
    device: (device: string) => `compat-device-${idPart(device)}`,
    cell: (appId: string, device: string) => `compat-cell-${appId}-${idPart(device)}`,
    tooltip: 'compat-tooltip',
    popover: 'compat-popover',
    emptyApps: 'compat-empty-apps',
    emptyDevices: 'compat-empty-devices',
    error: 'compat-error',
  },
  settings: {
    screen: 'screen-settings',
    theme: 'settings-theme',
    /** The controls' size: `standard` or `touch` (each a radio, `settings-density-touch`). */
    density: 'settings-density',
    densityOption: (density: string) => `settings-density-${density}`,
    version: 'settings-version',
    infoError: 'settings-info-error',
    /** Deployments on devices: the watch interval and the engineer name put on deployments. */
    watchInterval: 'settings-watch-interval',
    watchIntervalSave: 'settings-watch-interval-save',
    engineer: 'settings-engineer',
    engineerSave: 'settings-engineer-save',
    installation: 'settings-installation',
    deploymentSettingsError: 'settings-deployments-error',
  },
  /** Settings → Accounts (admins, on a browser host with accounts): the named accounts. */
  accounts: {
    section: 'accounts-settings',
    error: 'accounts-error',
    list: 'accounts-list',
    /** One account's row (`data-role`). */
    row: (name: string) => `account-row-${idPart(name)}`,
    add: 'accounts-add',
    changePassword: (name: string) => `account-password-${idPart(name)}`,
    remove: (name: string) => `account-remove-${idPart(name)}`,
    removeDialog: 'account-remove-dialog',
    /** The dialog that adds an account or changes a password, and its fields. */
    dialog: 'account-dialog',
    name: 'account-dialog-name',
    role: 'account-dialog-role',
    roleOption: (role: string) => `account-dialog-role-${role}`,
    password: 'account-dialog-password',
    passwordAgain: 'account-dialog-password-again',
    submit: 'account-dialog-submit',
    cancel: 'account-dialog-cancel',
    dialogError: 'account-dialog-error',
    /** What was done last ("olga added, operator"). */
    notice: 'accounts-notice',
  },
  /** Settings → Backup: make an encrypted backup of this laptop, restore one, the reminder. */
  backup: {
    section: 'backup-settings',
    /** When the last backup was made, in words; `data-last` the ISO time or empty. */
    last: 'backup-last',
    /** The reminder, shown when a backup is due. */
    reminder: 'backup-reminder',
    reminderDays: 'backup-reminder-days',
    reminderSave: 'backup-reminder-save',
    passphrase: 'backup-passphrase',
    passphraseAgain: 'backup-passphrase-again',
    withStore: 'backup-with-store',
    create: 'backup-create',
    made: 'backup-made',
    createError: 'backup-create-error',
    restore: 'backup-restore',
    restoreDialog: 'backup-restore-dialog',
    restoreFile: 'backup-restore-file',
    restorePassphrase: 'backup-restore-passphrase',
    restoreConfirm: 'backup-restore-confirm',
    restored: 'backup-restored',
    restoreError: 'backup-restore-error',
    statusError: 'backup-status-error',
  },
  /** Settings → Margo devices: serving the WFM from the app, the trust domain, the clients. */
  margo: {
    section: 'margo-settings',
    statusError: 'margo-status-error',
    /** "serving" or "not serving" in words; `data-serving` true or false. */
    state: 'margo-serving-state',
    host: 'margo-serve-host',
    port: 'margo-serve-port',
    trustPort: 'margo-serve-trust-port',
    tls12: 'margo-serve-tls12',
    start: 'margo-serve-start',
    startError: 'margo-serve-start-error',
    stop: 'margo-serve-stop',
    stopDialog: 'margo-stop-dialog',
    wfmUrl: 'margo-wfm-url',
    trustBundleUrl: 'margo-trust-bundle-url',
    trustDomain: 'margo-trust-domain',
    caFingerprint: 'margo-ca-fingerprint',
    /** Before the trust domain exists: says when it is made. */
    noTrustDomain: 'margo-no-trust-domain',
    /** Certificates that run out within 30 days. */
    expiring: 'margo-expiring',
    clients: 'margo-clients',
    clientsEmpty: 'margo-clients-empty',
    clientsError: 'margo-clients-error',
    client: (id: string) => `margo-client-row-${idPart(id)}`,
    clientState: (id: string) => `margo-client-row-${idPart(id)}-state`,
    clientDevices: (id: string) => `margo-client-row-${idPart(id)}-devices`,
    clientContact: (id: string) => `margo-client-row-${idPart(id)}-contact`,
    clientExpiry: (id: string) => `margo-client-row-${idPart(id)}-expiry`,
    /** The row's actions menu button and its items. */
    clientActions: (id: string) => `margo-client-row-${idPart(id)}-actions`,
    clientRevoke: (id: string) => `margo-client-row-${idPart(id)}-revoke`,
    clientRenew: (id: string) => `margo-client-row-${idPart(id)}-renew`,
    revokeDialog: 'margo-revoke-dialog',
    add: 'margo-client-add',
    addDialog: 'margo-add-dialog',
    addClientId: 'margo-add-client-id',
    addUrl: 'margo-add-url',
    /** Desktop app: the folder button (its chosen name: `derived.fileName`). */
    addFolder: 'margo-add-folder',
    /** Browser: what the download will be called. */
    addDownload: 'margo-add-download',
    addSubmit: 'margo-add-submit',
    addCancel: 'margo-add-cancel',
    addError: 'margo-add-error',
    /** After an add: where the bundle went and what to do with it. */
    added: 'margo-added',
    addedDone: 'margo-added-done',
  },
  /** Settings → Trust: the trust store's entries and the trust policies. */
  trust: {
    section: 'trust-settings',
    entries: 'trust-entries',
    entriesEmpty: 'trust-entries-empty',
    entriesError: 'trust-entries-error',
    entry: (name: string) => `trust-entry-row-${idPart(name)}`,
    entryRemove: (name: string) => `trust-entry-row-${idPart(name)}-remove`,
    add: 'trust-add',
    addDialog: 'trust-add-dialog',
    addName: 'trust-add-name',
    /** The type radio group, and one radio per type. */
    addType: 'trust-add-type',
    addTypeOption: (type: string) => `trust-add-type-${type}`,
    addFile: 'trust-add-file',
    addSubmit: 'trust-add-submit',
    addCancel: 'trust-add-cancel',
    addError: 'trust-add-error',
    /** After an add with warnings, before Done. */
    addedWarnings: 'trust-added-warnings',
    addedDone: 'trust-added-done',
    removeDialog: 'trust-remove-dialog',
    /** In the remove dialog: the policies that name the entry. */
    removeUsedBy: 'trust-remove-used-by',
    policies: 'trust-policies',
    policiesEmpty: 'trust-policies-empty',
    policiesError: 'trust-policies-error',
    policy: (scope: string) => `trust-policy-row-${idPart(scope)}`,
    policyLevel: (scope: string) => `trust-policy-row-${idPart(scope)}-level`,
    policyEdit: (scope: string) => `trust-policy-row-${idPart(scope)}-edit`,
    policyRemove: (scope: string) => `trust-policy-row-${idPart(scope)}-remove`,
    setPolicy: 'trust-set-policy',
    policyDialog: 'trust-policy-dialog',
    policyScope: 'trust-policy-scope',
    /** The level radio group and one radio per level. */
    policyLevelField: 'trust-policy-level',
    policyLevelOption: (level: string) => `trust-policy-level-option-${level}`,
    /** "Every entry" and one checkbox per entry. */
    policyTrustAll: 'trust-policy-trust-all',
    policyTrustEntry: (name: string) => `trust-policy-trust-${idPart(name)}`,
    policyIdentities: 'trust-policy-identities',
    policySubmit: 'trust-policy-submit',
    policyCancel: 'trust-policy-cancel',
    policyError: 'trust-policy-error',
    policyRemoveDialog: 'trust-policy-remove-dialog',
  },
  deploy: {
    screen: 'screen-deploy',
    empty: 'deploy-empty',
    /** In place of the wizard for a role that may not deploy: says so and whom to ask. */
    roleRefused: 'deploy-role-refused',
    toApp: 'deploy-to-app',
    error: 'deploy-error',
    back: 'deploy-back',
    next: 'deploy-next',
    submit: 'deploy-submit',
    configProblem: 'deploy-config-problem',
    startError: 'deploy-start-error',
    /** The open step's heading ("Step 2 of 5: …"), focused as the step appears. */
    stepHeading: 'deploy-step-heading',
    step: (step: 'devices' | 'profile' | 'configure' | 'review' | 'progress') =>
      `deploy-step-${step}`,
    device: (name: string) => `deploy-device-${idPart(name)}`,
    deviceWhy: (name: string) => `deploy-device-${idPart(name)}-why`,
    deviceDisabled: (name: string) => `deploy-device-${idPart(name)}-disabled`,
    devicesAll: 'deploy-devices-all',
    devicesEmpty: 'deploy-devices-empty',
    profile: (id: string) => `deploy-profile-${idPart(id)}`,
    form: 'deploy-form',
    valuesAll: 'deploy-values-all',
    values: (device: string) => `deploy-values-${idPart(device)}`,
    valuesReset: 'deploy-values-reset',
    section: (index: number) => `deploy-section-${index}`,
    field: (parameter: string) => `deploy-field-${idPart(parameter)}`,
    fieldTargets: (parameter: string) => `deploy-field-${idPart(parameter)}-targets`,
    fieldLocked: (parameter: string) => `deploy-field-${idPart(parameter)}-locked`,
    fieldOverridden: (parameter: string) => `deploy-field-${idPart(parameter)}-overridden`,
    fieldReset: (parameter: string) => `deploy-reset-${idPart(parameter)}`,
    planAgain: 'deploy-plan-again',
    planError: 'deploy-plan-error',
    autoRollback: 'deploy-auto-rollback',
    /** The review's checkbox that allows the host access listed (`data-checked`). */
    allowHostAccess: 'deploy-allow-host-access',
    /** Another installation's deployment: the warning and its confirmation. */
    takeOver: 'deploy-take-over',
    confirmTakeOver: 'deploy-confirm-take-over',
    planHostAccess: (device: string) => `deploy-plan-${idPart(device)}-host-access`,
    /** The review's signature verdicts, each artifact by its digest (`data-verdict`). */
    signatures: 'deploy-signatures',
    signature: (digest: string) => `deploy-signature-${digest}`,
    /** What a strict trust policy refuses (the review's alert), and why Deploy is disabled. */
    trustRefused: 'deploy-trust-refused',
    trustBlocked: 'deploy-trust-blocked',
    /** What an audit policy lets through unverified (the review's warning). */
    trustWarnings: 'deploy-trust-warnings',
    plan: (device: string) => `deploy-plan-${idPart(device)}`,
    planRefused: (device: string) => `deploy-plan-${idPart(device)}-refused`,
    planUpToDate: (device: string) => `deploy-plan-${idPart(device)}-up-to-date`,
    planWarnings: (device: string) => `deploy-plan-${idPart(device)}-warnings`,
    planItem: (device: string, service: string) =>
      `deploy-plan-item-${idPart(device)}-${idPart(service)}`,
    images: (device: string) => `deploy-images-${idPart(device)}`,
    yaml: (device: string) => `deploy-yaml-${idPart(device)}`,
    digest: (device: string) => `deploy-digest-${idPart(device)}`,
    job: 'deploy-job',
    jobError: 'deploy-job-error',
    jobSummary: 'deploy-job-summary',
    again: 'deploy-again',
    jobUnknown: 'deploy-job-unknown',
    listError: 'deploy-list-error',
    deviceProgress: (device: string) => `deploy-device-progress-${idPart(device)}`,
    outcome: (device: string) => `deploy-outcome-${idPart(device)}`,
    outcomeRollback: (device: string) => `deploy-outcome-${idPart(device)}-rollback`,
    outcomeError: (device: string) => `deploy-outcome-${idPart(device)}-error`,
    open: (device: string) => `deploy-open-${idPart(device)}`,
    live: (device: string) => `deploy-live-${idPart(device)}`,
    liveError: (device: string) => `deploy-live-${idPart(device)}-error`,
    component: (device: string, component: string) =>
      `deploy-component-${idPart(device)}-${idPart(component)}`,
    timeline: (device: string) => `deploy-timeline-${idPart(device)}`,
    /** The review's values of a device, each parameter's row (`data-differs`, `data-own`). */
    planValues: (device: string) => `deploy-plan-${idPart(device)}-values`,
    /** Above the cards: the values not the same on every device. */
    valuesDiffer: 'deploy-values-differ',
    planValue: (device: string, parameter: string) =>
      `deploy-plan-value-${idPart(device)}-${idPart(parameter)}`,
  },
  deployments: {
    /** Another laptop deployed over this deployment since (the device said so). */
    takenOver: 'deployment-taken-over',
    screen: 'screen-deployments',
    count: 'deployments-count',
    goCatalog: 'deployments-go-catalog',
    /** The switch that lists removed deployments too. */
    showRemoved: 'deployments-show-removed',
    error: 'deployments-error',
    empty: 'deployments-empty',
    /** Every row's id starts so (`[data-testid^="deployment-row-"]` finds them all). */
    rowPrefix: 'deployment-row-',
    row: (id: string) => `deployment-row-${id}`,
    open: (id: string) => `deployment-open-${id}`,
    rowState: (id: string) => `deployment-state-${id}`,
    /** What was changed on the row's device outside Commissioner (absent when nothing). */
    rowDrift: (id: string) => `deployment-drift-${id}`,
    /** "Taken over by Ben on LAPTOP-9 …" under the row's state. */
    rowTakenOver: (id: string) => `deployment-taken-over-${id}`,
    /** When the row's device was last asked ("checked 12 s ago"). */
    rowChecked: (id: string) => `deployment-checked-${id}`,
    refreshAll: 'deployments-refresh-all',
    refreshAllError: 'deployments-refresh-all-error',
    detail: 'deployment-detail',
    detailClose: 'deployment-detail-close',
    detailError: 'deployment-detail-error',
    state: 'deployment-state',
    /** The deployment's own error (what the device or the last deploy said). */
    deploymentError: 'deployment-error',
    refresh: 'deployment-refresh',
    update: 'deployment-update',
    rollback: 'deployment-rollback',
    logs: 'deployment-logs',
    remove: 'deployment-remove',
    actionError: 'deployment-action-error',
    rollbackDialog: 'deployment-rollback-dialog',
    removeDialog: 'deployment-remove-dialog',
    removeVolumes: 'deployment-remove-volumes',
    job: 'deployment-job',
    jobError: 'deployment-job-error',
    logsView: 'deployment-logs-view',
    log: (container: string) => `deployment-log-${idPart(container)}`,
    logsError: 'deployment-logs-error',
    components: 'deployment-components',
    component: (name: string) => `deployment-component-${idPart(name)}`,
    revisions: 'deployment-revisions',
    revision: (n: number) => `deployment-revision-${n}`,
    timeline: 'deployment-timeline',
    yaml: 'deployment-yaml',
    digest: 'deployment-digest',
    /** What a revision changed from the one before it, in words. */
    revisionChanges: (n: number) => `deployment-revision-${n}-changes`,
    /** The rollback dialog's list of what the rollback changes back. */
    rollbackChanges: 'deployment-rollback-changes',
    /** The logs' Follow switch (`data-checked`), Download button, and why a log is empty. */
    logsFollow: 'deployment-logs-follow',
    logsDownload: 'deployment-logs-download',
    logEmpty: (container: string) => `deployment-log-${idPart(container)}-empty`,
  },
} as const;
