/** Who this process is: logged with every line and stamped on every message it produces. */
export interface ServiceIdentity {
  service: string;
  instance: string;
  host: string;
  port: number;
}

export const SERVICE_IDENTITY = Symbol('SERVICE_IDENTITY');

/** INSTANCE_ID as the deployment sets it; otherwise the service and process id, unique on one machine. */
export function instanceIdFromEnv(service: string, env: NodeJS.ProcessEnv = process.env): string {
  return env.INSTANCE_ID ?? `${service}-${process.pid}`;
}

export function serviceIdentityFromEnv(service: string, env: NodeJS.ProcessEnv = process.env): ServiceIdentity {
  const port = Number(env.PORT ?? '');
  if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new Error('Missing or invalid setting PORT (the HTTP port to listen on)');
  return {
    service,
    instance: instanceIdFromEnv(service, env),
    // Containers set HOST=0.0.0.0; on a developer machine we stay on loopback.
    host: env.HOST ?? '127.0.0.1',
    port,
  };
}
