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

  it.each([
    ['PORT', 'eighty'],
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
});
