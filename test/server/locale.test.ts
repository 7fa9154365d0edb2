// A member's language kept on the server, and error messages in the request's language with the field in words.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ApiClient } from '../support/api-client.ts';
import { apiOrg, type ApiOrg } from '../support/api-org.ts';

describe('languages at the API', () => {
  let o: ApiOrg;
  before(async () => {
    o = await apiOrg();
  });
  after(async () => {
    await o.close();
  });

  test('a member chooses a language; /me says it, and it is theirs alone', async () => {
    const ana = o.people.ana!;
    assert.equal((await ana.ok<{ locale: string | null }>('GET', '/me')).locale, null);
    await ana.ok('PUT', '/me/locale', { locale: 'ru' });
    assert.equal((await ana.ok<{ locale: string | null }>('GET', '/me')).locale, 'ru');
    await ana.ok('PUT', '/me/locale', { locale: 'es' });
    assert.equal((await ana.ok<{ locale: string | null }>('GET', '/me')).locale, 'es');
    assert.equal((await o.people.ben!.ok<{ locale: string | null }>('GET', '/me')).locale, null);
  });

  test('a language the app does not speak is refused, naming the field; nobody signed in may not choose', async () => {
    const res = await o.people.ana!.request('PUT', '/me/locale', { locale: 'xx' });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().error, 'invalid_request');
    assert.equal(res.json().field, 'body.locale');
    assert.equal(res.json().message, 'The language is not one of the allowed choices.');
    await new ApiClient(o.app).fails('PUT', '/me/locale', { locale: 'en' }, 401, 'unauthenticated');
  });

  test('a schema failure names the field in words, in the language of Accept-Language', async () => {
    // The password's rules are checked past the schema (docs/ACCOUNTS.md); the e-mail's length is the schema's.
    const body = { email: 'a@', password: 'long enough password', name: 'Eve' };
    const said = async (language: string | undefined) => {
      const c = new ApiClient(o.app);
      c.language = language;
      const res = await c.request('POST', '/invitations/0123456789abcdef/accept', body);
      assert.equal(res.statusCode, 400, res.body);
      assert.equal(res.json().field, 'body.email');
      return res.json().message as string;
    };
    assert.equal(await said(undefined), 'The e-mail address must have at least 3 characters.');
    assert.equal(await said('de-DE, es;q=0.8'), 'La dirección de correo: al menos 3 caracteres.');
    assert.equal(await said('ru'), 'Адрес электронной почты: не короче 3 символов.');
  });

  test('a refused password is said in the language of Accept-Language, naming the field', async () => {
    const c = new ApiClient(o.app);
    c.language = 'es';
    const res = await c.request('POST', '/invitations/0123456789abcdef/accept', {
      email: 'new@example.org',
      password: 'short',
    });
    assert.equal(res.statusCode, 400, res.body);
    assert.deepEqual(res.json(), {
      error: 'password_too_short',
      message: 'La contraseña debe tener al menos 10 caracteres; unas cuantas palabras seguidas sirven.',
      field: 'password',
    });
  });

  test('an error the catalogue has a sentence for is said in that language; English keeps its detail', async () => {
    const c = new ApiClient(o.app);
    c.language = 'es';
    const res = await c.request('GET', '/me');
    assert.equal(res.statusCode, 401);
    assert.deepEqual(res.json(), { error: 'unauthenticated', message: 'Primero inicia sesión.' });
    c.language = 'en';
    assert.equal((await c.request('GET', '/me')).json().message, 'sign in, or send an API token');
  });
});
