// `councils petition`: open, sign, list and read petitions through the HTTP API (docs/POWER.md).
import { parseArgs } from 'node:util';
import { apiFlags, ApiSession } from '../api-session.ts';
import { UsageError, type Command } from '../command.ts';

export const petitionUsage = `usage: councils petition <action> [options] [--url URL] [--token TOKEN]
  list [--council ID]                         petitions of your organisation
  show PETITION                               a petition and its signatures
  open --kind agenda --council ID --title T --text T [--target PARENT]
                                              put a motion on a council's agenda (--target: rise to the council above)
  open --kind recall --mandate ID --text T    recall a deputy your council elected
  open --kind election --council ID --text T  call an extraordinary election
  sign PETITION                               sign; the last signature needed opens the item by itself
  The server and token come from --url/--token or $COUNCILS_URL/$COUNCILS_TOKEN.`;

export const petitionCommand: Command = async (args, io) => {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      ...apiFlags,
      kind: { type: 'string' },
      council: { type: 'string' },
      target: { type: 'string' },
      mandate: { type: 'string' },
      title: { type: 'string' },
      text: { type: 'string' },
    },
  });
  const [action, arg] = positionals;
  const api = ApiSession.from(values);
  const out = (v: unknown) => io.out(JSON.stringify(v, null, 2) + '\n');
  const { orgId } = await api.whoami();
  switch (action) {
    case 'list':
      out(
        await api.all(
          `/orgs/${orgId}/petitions${values.council ? `?council=${values.council}` : ''}`,
          'petitions',
        ),
      );
      return 0;
    case 'show':
      if (!arg) throw new UsageError('give the petition id');
      out(await api.call('GET', `/orgs/${orgId}/petitions/${arg}`));
      return 0;
    case 'open': {
      if (!values.kind) throw new UsageError('give --kind agenda, recall or election');
      const r = await api.call<{ petitionId: string; acts: string[] }>('POST', `/orgs/${orgId}/petitions`, {
        kind: values.kind,
        text: values.text ?? '',
        ...(values.council ? { councilId: values.council } : {}),
        ...(values.target ? { targetCouncilId: values.target } : {}),
        ...(values.mandate ? { mandateId: values.mandate } : {}),
        ...(values.title ? { title: values.title } : {}),
      });
      io.out(
        `${r.petitionId}${r.acts.includes('petition_succeeded') ? ' (threshold reached: the item is open)' : ''}\n`,
      );
      return 0;
    }
    case 'sign': {
      if (!arg) throw new UsageError('give the petition id');
      const r = await api.call<{ acts: string[] }>('POST', `/orgs/${orgId}/petitions/${arg}/signatures`);
      io.out(
        r.acts.includes('petition_succeeded')
          ? 'signed; the threshold is reached and the item is open\n'
          : 'signed\n',
      );
      return 0;
    }
    default:
      throw new UsageError(action ? `unknown action "${action}"` : 'give an action');
  }
};
