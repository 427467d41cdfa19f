import { InvalidConfigError, loadConfig } from './app.config';

describe('loadConfig', () => {
  it('gives the documented defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      PORT: 3000,
      MQTT_PORT: 1883,
      MQTTS_PORT: 8883,
      MQTT_PLAIN: true,
      DATA_DIR: '.data',
    });
    expect(config.MQTT_URL).toBeUndefined();
    expect(config.DATABASE_URL).toBeUndefined();
  });

  it('reads and converts values', () => {
    const config = loadConfig({
      PORT: '8080',
      MQTT_PLAIN: 'false',
      MQTT_URL: 'mqtt://127.0.0.1:1883',
      DEMO_DATA: 'true',
    });
    expect(config).toMatchObject({ PORT: 8080, MQTT_PLAIN: false, MQTT_URL: 'mqtt://127.0.0.1:1883', DEMO_DATA: true });
  });

  it('reads every optional setting (they have no default to make them known)', () => {
    const optional = {
      MQTT_URL: 'mqtt://127.0.0.1:1883',
      DATABASE_URL: 'postgres://localhost/poc',
      JWT_SECRET: 'j'.repeat(40),
      JWT_PREVIOUS_SECRETS: 'p'.repeat(40),
      TLS_CERT_FILE: '/tls/cert.pem',
      TLS_KEY_FILE: '/tls/key.pem',
      INTERNAL_PORT: '9100',
      PORTAL_TILE_URL: 'https://tiles.example/{z}/{x}/{y}.png',
    };
    expect(loadConfig(optional)).toMatchObject({ ...optional, INTERNAL_PORT: 9100 });
  });

  it.each([
    ['PORT', 'eighty'],
    ['PORTAL_TILE_URL', 'https://tiles.example/tile.png'],
    ['TLS_CERT_FILE', '/only/the/cert.pem'],
    ['PORT', '70000'],
    ['MQTT_PLAIN', 'yes'],
    ['MQTT_URL', 'http://broker'],
    ['DATABASE_URL', 'mysql://x'],
    ['ADMIN_PASSWORD', 'short'],
  ])('stops on a bad %s naming it', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(InvalidConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(name));
  });

  it('refuses the demo admin password in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/ADMIN_PASSWORD/);
  });

  describe('in production', () => {
    const production = { NODE_ENV: 'production', ADMIN_PASSWORD: 'a-real-admin-password' };

    it('refuses demo accounts and a password hashing cost under OWASP minimum', () => {
      expect(() => loadConfig({ ...production, DEMO_DATA: 'true' })).toThrow(/DEMO_DATA/);
      expect(() => loadConfig({ ...production, PASSWORD_SCRYPT_N: String(2 ** 16) })).toThrow(/PASSWORD_SCRYPT_N/);
    });

    it('refuses an external broker whose device accounts the service cannot keep in step', () => {
      const external = { ...production, MQTT_URL: 'mqtts://ingest:x@broker:8883' };
      expect(() => loadConfig(external)).toThrow(/MQTT_DYNSEC_URL/);
      expect(loadConfig({ ...external, MQTT_DYNSEC_URL: 'mqtts://control:y@broker:8883' }).MQTT_URL).toBeDefined();
      // A broker that asks the service through its hook is as up to date.
      expect(loadConfig({ ...external, BROKER_HOOK_SECRET: 'h'.repeat(32) }).MQTT_URL).toBeDefined();
      expect(() => loadConfig({ ...external, BROKER_HOOK_SECRET: 'short' })).toThrow(/BROKER_HOOK_SECRET/);
    });

    it('turns plain MQTT off unless it is asked for by name', () => {
      expect(loadConfig(production).MQTT_PLAIN).toBe(false);
      expect(loadConfig({ ...production, MQTT_PLAIN: 'true' }).MQTT_PLAIN).toBe(true);
      expect(loadConfig({}).MQTT_PLAIN).toBe(true);
    });
  });
});
