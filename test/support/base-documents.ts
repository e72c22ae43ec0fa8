/**
 * Small, valid Margo documents in the rc.3 shape, without findings. Tests derive broken
 * variants from them by editing the text, so positions in assertions are real positions.
 */
export const BASE_DESCRIPTION = `apiVersion: margo.org/v1-alpha1
kind: ApplicationDescription
id: com-example-line-monitor
metadata:
  name: Line Monitor
  version: 1.2.0
  catalog:
    application:
      icon: ./resources/icon.png
      descriptionFile: ./resources/description.md
      tagline: Watches the line
    author:
      - name: Ada
        email: ada@example.com
    organization:
      - name: Example Industrial
deploymentProfiles:
  - type: compose
    id: line-monitor-compose
    components:
      - name: monitor
        properties:
          repository: oci://registry.example.com/compose/monitor
          revision: 1.2.0
          wait: true
          timeout: 5m0s
  - type: helm
    id: line-monitor-helm
    components:
      - name: monitor-chart
        properties:
          repository: oci://registry.example.com/charts/monitor
          revision: 1.2.0
    deviceConstraints:
      capacityRequirements:
        cpu:
          cores: 1
          architectures: [amd64, arm64]
        memory: 512Mi
        storage: 1Gi
      eligibilityRules:
        - propertySelector:
            matchExpressions:
              - key: /vendor
                operator: In
                values: [Example]
parameters:
  pollSeconds:
    value: 30
    targets:
      - pointer: POLL_SECONDS
        components: [monitor]
      - pointer: settings.pollSeconds
        components: [monitor-chart]
  siteName:
    value: Plant 1
    targets:
      - pointer: SITE_NAME
        components: [monitor]
configuration:
  sections:
    - name: General
      settings:
        - parameter: pollSeconds
          name: Poll interval
          schema: pollRange
        - parameter: siteName
          name: Site
          schema: siteText
  schema:
    - name: pollRange
      dataType: integer
      minValue: 5
      maxValue: 3600
    - name: siteText
      dataType: string
      maxLength: 40
`;

export const BASE_DEPLOYMENT = `id: 0b6c3c1e-3f5b-4a55-9b7a-1f0e6a7d2c11
metadata:
  name: com-example-line-monitor
  namespace: margo
  deviceId: press-42
  annotations:
    applicationId: com-example-line-monitor
spec:
  applicationId: com-example-line-monitor
  deploymentProfile:
    type: compose
    components:
      - name: monitor
        properties:
          repository: oci://registry.example.com/compose/monitor
          revision: 1.2.0
          wait: true
  parameters:
    pollSeconds:
      value: 30
      targets:
        - pointer: POLL_SECONDS
          components: [monitor]
`;

export const BASE_CAPABILITIES = `{
  "properties": {
    "id": "press-42",
    "vendor": "Example Devices",
    "modelNumber": "X1",
    "serialNumber": "S-001",
    "cpus": [{ "cores": 4, "architecture": "amd64" }],
    "memory": "8Gi",
    "storage": "64Gi",
    "peripherals": [],
    "interfaces": [{ "type": "ethernet" }],
    "otelCollector": true,
    "supportedRuntimes": ["oci"],
    "supportedDeploymentTypes": ["compose"]
  },
  "labels": { "example.com/line": "3" }
}
`;

export const BASE_STATUS = `{
  "deploymentId": "0b6c3c1e-3f5b-4a55-9b7a-1f0e6a7d2c11",
  "adoptedManifestVersion": 3,
  "status": { "state": "installing" },
  "components": [
    { "name": "monitor", "state": "installing" },
    { "name": "database", "state": "installed" }
  ]
}
`;

const DIGEST = `sha256:${'a'.repeat(64)}`;
export const BASE_MANIFEST = `{
  "manifestVersion": 7,
  "bundle": {
    "mediaType": "application/vnd.margo.bundle.v1+tar+gzip",
    "digest": "${DIGEST}",
    "url": "/api/v1/bundles/${DIGEST}"
  },
  "deployments": [
    {
      "deploymentId": "0b6c3c1e-3f5b-4a55-9b7a-1f0e6a7d2c11",
      "digest": "${DIGEST}",
      "url": "/api/v1/deployments/0b6c3c1e-3f5b-4a55-9b7a-1f0e6a7d2c11/${DIGEST}"
    }
  ]
}
`;

/** Replaces exactly one occurrence, so a typo in a test fails loudly instead of testing nothing. */
export function edit(text: string, from: string, to: string): string {
  const first = text.indexOf(from);
  if (first < 0) throw new Error(`edit: "${from}" not found`);
  if (text.indexOf(from, first + 1) >= 0) throw new Error(`edit: "${from}" is not unique`);
  return text.slice(0, first) + to + text.slice(first + from.length);
}

/** 1-based line and column of the first occurrence of `needle`. */
export function positionOf(text: string, needle: string): { line: number; column: number } {
  const offset = text.indexOf(needle);
  if (offset < 0) throw new Error(`positionOf: "${needle}" not found`);
  const lines = text.slice(0, offset).split('\n');
  return { line: lines.length, column: (lines[lines.length - 1]?.length ?? 0) + 1 };
}
