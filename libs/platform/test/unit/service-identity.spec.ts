import { instanceIdFromEnv, serviceIdentityFromEnv } from '../../src/service-identity.js';

describe('instance id', () => {
  it('is INSTANCE_ID when the deployment sets one', () => {
    expect(instanceIdFromEnv('inventory', { INSTANCE_ID: 'inventory-2' })).toBe('inventory-2');
  });

  it('is the service and process id otherwise', () => {
    expect(instanceIdFromEnv('inventory', {})).toBe(`inventory-${process.pid}`);
  });

  it('is the one the service identity carries', () => {
    expect(serviceIdentityFromEnv('inventory', { PORT: '17020' }).instance).toBe(instanceIdFromEnv('inventory', {}));
    expect(serviceIdentityFromEnv('inventory', { PORT: '17020', INSTANCE_ID: 'inventory-2' }).instance).toBe('inventory-2');
  });
});
