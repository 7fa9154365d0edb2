// A member's language kept on the server, and error messages in the request's language with the field in words.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ApiClient } from '../support/api-client.ts';
import { apiOrg, type ApiOrg } from '../support/api-org.ts';

describe('languages at the API', () => {
  let o: ApiOrg;
  before(async () => {
    o = await apiOrg(undefined, { procedure: {} });
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

  test('a refusal by the rules says why in the language of Accept-Language, from its reason id and parameters', async () => {
    const [ana, ben] = [o.people.ana!, o.people.ben!];
    const { motionId } = await ana.ok<{ motionId: string }>(
      'POST',
      `/orgs/${o.orgId}/councils/north/motions`,
      {
        title: 'Strike on Monday',
        text: 'Shall we?',
      },
    );
    const path = `/orgs/${o.orgId}/motions/${motionId}`;
    const said = async (who: ApiClient, language: string, url: string, body?: unknown) => {
      who.language = language;
      try {
        return (await who.request('POST', url, body)).json() as Record<string, unknown>;
      } finally {
        who.language = undefined;
      }
    };
    // A reason with parameters, one of them a plural: Russian picks its form by CLDR.
    const ru = await said(ben, 'ru', `${path}/vote`, { minutes: 1 });
    assert.deepEqual(ru, {
      error: 'seconders_required',
      reason: 'seconders_needed',
      params: { needed: 1, seconded: 0 },
      message:
        'предложение попадает в повестку и может быть поставлено на голосование, когда его поддержат ещё 1 член (пока поддержали: 0)',
    });
    const en = await said(ben, 'en', `${path}/vote`, { minutes: 1 });
    assert.equal(
      en.message,
      'the motion is on the agenda, and can go to a vote, once 1 other member has seconded it (0 so far)',
    );
    // A moment among the parameters is written as a date the local way, in UTC.
    await o.people.cai!.ok('POST', `${path}/second`);
    const es = await said(ana, 'es', `${path}/vote`, { minutes: 1 });
    assert.equal(es.error, 'debate_minimum');
    assert.equal(es.reason, 'debate_minimum_mover');
    const from = (es.params as { from: string }).from;
    const when = new Intl.DateTimeFormat('es', { dateStyle: 'medium', timeStyle: 'long', timeZone: 'UTC' });
    assert.equal(
      es.message,
      `el debate dura al menos 4320 minutos: la votación puede abrirse a partir del ${when.format(new Date(from))} cuando lo pida quien presentó la moción, o antes mediante un cierre del debate aprobado por 2/3 del consejo`,
    );
    // The core's English stays the message where no language is asked for (scripts, the CLI, the logs).
    const plain = await ben.request('POST', `${path}/withdraw`);
    assert.equal(plain.statusCode, 403);
    assert.deepEqual(plain.json(), {
      error: 'not_allowed',
      reason: 'mover_withdraws',
      message: 'only the mover can withdraw a motion',
    });
  });

  test('a malformed command says what is wrong in the language of Accept-Language, from its problem id, the field in words', async () => {
    const ana = o.people.ana!;
    const said = async (language: string | undefined, content: unknown) => {
      ana.language = language;
      try {
        const res = await ana.request('POST', `/orgs/${o.orgId}/requests`, {
          kind: 'amend_constitution',
          content,
        });
        assert.equal(res.statusCode, 400, res.body);
        return res.json() as Record<string, unknown>;
      } finally {
        ana.language = undefined;
      }
    };
    const closure = { constitution: { procedure: { closure: { num: 1, den: 3 } } } };
    const en = await said(undefined, closure);
    assert.deepEqual(en, {
      error: 'invalid_request',
      field: 'constitution.procedure.closure',
      problem: 'fraction_qualified',
      params: { field: 'constitution.procedure.closure' },
      message:
        'The share that carries a closure must be a fraction above one half and at most 1 (num over den).',
    });
    assert.equal(
      (await said('es', closure)).message,
      'La proporción que aprueba el cierre del debate debe ser una fracción mayor que la mitad y no mayor que 1 (num entre den).',
    );
    assert.equal(
      (await said('ru', closure)).message,
      'Доля для прекращения прений: нужна дробь больше половины и не больше 1 (num/den).',
    );
    // A parameter that is a number, in a plural: each language picks its form and writes the number its way.
    const longest = { constitution: { votingMinutes: 1441, procedure: { votingMinimumMinutes: 2000 } } };
    const ruLongest = await said('ru', longest);
    assert.equal(ruLongest.problem, 'voting_minimum_over_longest');
    assert.deepEqual(ruLongest.params, { field: 'constitution.procedure.votingMinimumMinutes', max: 1441 });
    assert.equal(
      ruLongest.message,
      'Минимальная длительность голосования в минутах: не больше наибольшей длительности голосования — 1\u00a0441 минуты.',
    );
    assert.equal(
      (await said('es', longest)).message,
      'La votación mínima en minutos puede ser como máximo la votación más larga: 1441 minutos.',
    );
    assert.equal(
      (await said('en', longest)).message,
      'The shortest vote in minutes may be at most the longest vote, 1,441 minutes.',
    );
    // A setting the constitution does not know is named as the API names it, quoted.
    const unknown = await said('es', { constitution: { quorom: { kind: 'none' } } });
    assert.equal(unknown.problem, 'unknown_setting');
    assert.equal(unknown.message, '“constitution.quorom” no es un ajuste que la constitución conozca.');
  });

  test('a problem the server itself finds with a request is said from its id over real HTTP, the field in words', async () => {
    // Over a socket, not app.inject: a URL that does not decode is refused before any route is found.
    const address = await o.app.listen({ port: 0, host: '127.0.0.1' });
    const send = async (language: string, path: string, init: RequestInit = {}) => {
      const headers = new Headers(init.headers);
      headers.set('accept-language', language);
      const res = await fetch(`${address}/api/v1${path}`, { ...init, headers });
      assert.equal(res.status, 400, path);
      return (await res.json()) as Record<string, unknown>;
    };
    // The e-mail address of a sign-in that is no address (the server's own check, past the schema's length).
    const signIn = (language: string) =>
      send(language, '/session', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'nobody at home', password: 'long enough password' }),
      });
    const es = await signIn('es');
    assert.deepEqual(
      { error: es.error, field: es.field, problem: es.problem },
      { error: 'invalid_request', field: 'email', problem: 'email_address' },
    );
    assert.equal(
      es.message,
      'La dirección de correo debe ser una dirección de correo electrónico (nombre@ejemplo.org).',
    );
    assert.equal(
      (await signIn('en')).message,
      'The e-mail address must be an e-mail address (name@example.org).',
    );
    // A consistency proof asked backwards: the sizes are parameters, written the local way.
    const backwards = await send('ru', `/orgs/${o.orgId}/record/consistency?from=12000&to=3`, {
      headers: { cookie: o.people.ana!.cookie! },
    });
    assert.equal(backwards.problem, 'range_from_after_to');
    assert.deepEqual(backwards.params, { field: 'from', from: 12000, to: 3 });
    assert.equal(backwards.message, 'Первый размер (12\u00a0000) не может быть больше второго (3).');
    // A URL whose escape is not UTF-8, refused before routing.
    const url = await send('es', '/orgs/%E0%A4%A');
    assert.equal(url.problem, 'url_not_decodable');
    assert.equal(
      url.message,
      'No se puede leer la dirección (URL): contiene un escape mal formado o que no es UTF-8.',
    );
  });
});
