// `councils approve`: a member's side of collective authority (docs/POWER.md): make and register the approval
// key (kept in a 0600 file), list and read requests, request an act, approve with a signature made here (after
// checking that the request's content hash is what the server shows), withdraw, appeal. `sign-message` signs
// offline, for scripts.
import { parseArgs } from 'node:util';
import { approvalMessage, contentHash, keyProofMessage, signMessage } from '../../core/index.ts';
import { apiFlags, ApiSession } from '../api-session.ts';
import { defaultKeyFile, generateApprovalKey, readApprovalKey } from '../approval-key.ts';
import { UsageError, type Command } from '../command.ts';

export const approveUsage = `usage: councils approve <action> [options] [--url URL] [--token TOKEN] [--key FILE]
  keygen                      make an approval key in FILE (mode 0600; default $COUNCILS_APPROVAL_KEY, else ./councils-approval.key)
  register                    register the key's public half in the log (proving you hold it)
  list [--pending]            privileged requests of your organisation
  show REQUEST                a request, its approvals and what you would sign
  request KIND --content JSON request a privileged act (amend_constitution, expel_member, …, elect_committee,
                              reverse_act); it waits for its approvals
  sign REQUEST                approve: checks the content hash, signs with your key, sends the signature
  withdraw REQUEST            withdraw your approval
  appeal REQUEST              appeal your expulsion to the council above
  sign-message --org ORG --request ID --hash HEX --round N
                              print the signature of an approval message (offline)
  The server and token come from --url/--token or $COUNCILS_URL/$COUNCILS_TOKEN; the key file from --key or
  $COUNCILS_APPROVAL_KEY.`;

interface RequestView {
  id: string;
  kind: string;
  content: unknown;
  contentHash: string;
  state: string;
  required: number;
  approvals: { memberId: string; withdrawnAt: string | null }[];
  signing: { orgId: string; requestId: string; contentHash: string; round: number };
}

export const approveCommand: Command = async (args, io) => {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      ...apiFlags,
      key: { type: 'string' },
      pending: { type: 'boolean' },
      content: { type: 'string' },
      org: { type: 'string' },
      request: { type: 'string' },
      hash: { type: 'string' },
      round: { type: 'string' },
    },
  });
  const [action, arg] = positionals;
  const keyFile = values.key ?? defaultKeyFile();
  const out = (v: unknown) => io.out(JSON.stringify(v, null, 2) + '\n');
  if (action === 'keygen') {
    io.out(`${generateApprovalKey(keyFile)}\n`);
    io.err(
      `wrote a new approval key to ${keyFile} (mode 0600); register it with "councils approve register"\n`,
    );
    return 0;
  }
  if (action === 'sign-message') {
    const { org, request, hash, round } = values;
    if (!org || !request || !hash || round === undefined)
      throw new UsageError('give --org, --request, --hash and --round');
    const { secret } = readApprovalKey(keyFile);
    io.out(`${signMessage(approvalMessage(org, request, hash, Number(round)), secret)}\n`);
    return 0;
  }
  const api = ApiSession.from(values);
  const need = (what: string) => {
    if (!arg) throw new UsageError(`give the ${what}`);
    return arg;
  };
  switch (action) {
    case 'register': {
      const { secret, publicKey } = readApprovalKey(keyFile);
      const { memberId, orgId } = await api.whoami();
      const proof = signMessage(keyProofMessage(orgId, memberId, publicKey), secret);
      await api.call('POST', `/orgs/${orgId}/keys`, { publicKey, proof });
      io.out(`registered ${publicKey}\n`);
      return 0;
    }
    case 'list': {
      const { orgId } = await api.whoami();
      out(await api.all(`/orgs/${orgId}/requests${values.pending ? '?state=pending' : ''}`, 'requests'));
      return 0;
    }
    case 'show': {
      const { orgId } = await api.whoami();
      out(await api.call('GET', `/orgs/${orgId}/requests/${need('request id')}`));
      return 0;
    }
    case 'request': {
      if (!values.content) throw new UsageError('give --content JSON');
      const { orgId } = await api.whoami();
      out(
        await api.call('POST', `/orgs/${orgId}/requests`, {
          kind: need('kind'),
          content: JSON.parse(values.content),
        }),
      );
      return 0;
    }
    case 'sign': {
      const { secret } = readApprovalKey(keyFile);
      const { orgId } = await api.whoami();
      const r = await api.call<RequestView>('GET', `/orgs/${orgId}/requests/${need('request id')}`);
      // Sign only what we can see: the hash must be of the kind and content shown.
      if (contentHash(r.kind, r.content) !== r.contentHash || r.signing.contentHash !== r.contentHash)
        throw new Error('the server shows content that does not match the request hash: not signing');
      const signature = signMessage(approvalMessage(orgId, r.id, r.contentHash, r.signing.round), secret);
      const done = await api.call<{ acts: string[] }>('POST', `/orgs/${orgId}/requests/${r.id}/approvals`, {
        signature,
      });
      io.out(
        `${done.acts.includes('privileged_act_done') ? 'approved; the act is carried out' : 'approved; it waits for more approvals'}\n`,
      );
      return 0;
    }
    case 'withdraw':
    case 'appeal': {
      const { orgId } = await api.whoami();
      out(await api.call('POST', `/orgs/${orgId}/requests/${need('request id')}/${action}`));
      return 0;
    }
    default:
      throw new UsageError(action ? `unknown action "${action}"` : 'give an action');
  }
};
