/**
 * Component type names that changed across collector versions. The OTLP exporters were renamed
 * in v0.144.0 (`otlp` → `otlp_grpc`, `otlphttp` → `otlp_http`); older versions know only the old names.
 */
export function otlpExporterTypes(collectorVersion: string): { grpc: string; http: string } {
  const match = /^v?(\d+)\.(\d+)\./.exec(collectorVersion);
  if (!match) throw new Error(`cannot read collector version "${collectorVersion}"`);
  const [major, minor] = [Number(match[1]), Number(match[2])];
  const renamed = major > 0 || minor >= 144;
  return renamed ? { grpc: 'otlp_grpc', http: 'otlp_http' } : { grpc: 'otlp', http: 'otlphttp' };
}
