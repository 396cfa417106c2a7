import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { checksServerSecret } from '../../src/engine/util/secret-gate';

describe('checksServerSecret (internal endpoints that only let in the server secret)', () => {
  it('knows a header compared with a secret from the environment, with a 401/403 otherwise', () => {
    assert.ok(checksServerSecret("if (req.headers.get('authorization') !== `Bearer ${process.env.CRON_SECRET}`) return new Response('Unauthorized', { status: 401 });"));
    assert.ok(checksServerSecret("if (req.headers['x-api-key'] !== serverEnv.INTERNAL_API_KEY) return res.status(403).end();"));
    assert.ok(checksServerSecret("const ok = timingSafeEqual(Buffer.from(req.header('x-webhook-token') ?? ''), Buffer.from(process.env.WEBHOOK_TOKEN!)); if (!ok) return res.sendStatus(401);"));
  });
  it('is not fooled by a user token verified with a secret, a header alone, or no refusal', () => {
    assert.ok(!checksServerSecret("const token = req.headers.authorization?.split(' ')[1]; try { jwt.verify(token, process.env.JWT_SECRET); } catch { return res.status(401).end(); }"));
    assert.ok(!checksServerSecret("if (!req.headers.get('authorization')) return NextResponse.json({ error: 'Unauthorized' }, { status: 401 });"));
    assert.ok(!checksServerSecret("if (req.headers.get('authorization') === `Bearer ${process.env.CRON_SECRET}`) log('cron');"));
  });
});
