import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../shared/config';

const SID = `AC${'0123456789abcdef'.repeat(2)}`;

describe('WhatsApp (Twilio) settings', () => {
  it('default to local files under the data dir and the sandbox sender', () => {
    expect(loadConfig({ LOCAL_HOST_DATA_DIR: '/tmp/fx' }).identity.whatsapp).toEqual({ from: '+14155238886', outboxDir: '/tmp/fx/whatsapp' });
  });

  it('use Twilio when both credentials are set', () => {
    const { whatsapp } = loadConfig({ TWILIO_ACCOUNT_SID: SID, TWILIO_AUTH_TOKEN: 'secret', TWILIO_WHATSAPP_FROM: '+15005550006' }).identity;
    expect(whatsapp.twilio).toEqual({ accountSid: SID, authToken: 'secret' });
    expect(whatsapp.from).toBe('+15005550006');
  });

  it('stop start-up naming the setting when one credential is missing or malformed', () => {
    expect(() => loadConfig({ TWILIO_ACCOUNT_SID: SID })).toThrow(/TWILIO_AUTH_TOKEN: TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN go together/);
    expect(() => loadConfig({ TWILIO_ACCOUNT_SID: 'not-a-sid', TWILIO_AUTH_TOKEN: 'x' })).toThrow(ConfigError);
    expect(() => loadConfig({ TWILIO_WHATSAPP_FROM: '4155238886' })).toThrow(/TWILIO_WHATSAPP_FROM: must be the WhatsApp sender number in E\.164/);
  });
});
