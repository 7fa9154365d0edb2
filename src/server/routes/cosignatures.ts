// Witness cosignatures (C2SP tlog-cosignature): a witness the organisation lists (the privileged act
// change_witnesses) checks a checkpoint against what it saw before and returns a cosignature line; posting that
// line here adds it to the stored checkpoint, so verifiers can require k of the listed witnesses.
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { addCosignatures, checkWitnessPolicy, noteSignatureLines } from '../../record/index.ts';
import { checkpointOfSize, replaceCheckpointNote } from '../../store/record-repository.ts';
import { ApiError, invalidRequest } from '../errors.ts';
import { Count, OrgParams } from '../schemas.ts';
import type { CouncilsService } from '../service.ts';
import { witnessPolicyOf } from '../../core/index.ts';
import { Cosigned, WitnessPolicyReply } from '../responses/record.ts';
import { presentCosigned, presentWitnessPolicy } from '../presenters/record.ts';

const CosignatureBody = Type.Object(
  {
    size: Count(1),
    line: Type.String({
      minLength: 10,
      maxLength: 1000,
      description: 'one signature line: "— <name> <base64>\\n"',
    }),
  },
  { additionalProperties: false },
);

export function cosignatureRoutes(app: FastifyInstance, service: CouncilsService): void {
  app.get<{ Params: Static<typeof OrgParams> }>(
    '/orgs/:org/record/witnesses.json',
    {
      schema: {
        tags: ['record'],
        summary:
          "The witness policy of the organisation's constitution: the listed witnesses and how many cosignatures a verifier should require",
        params: OrgParams,
        response: { 200: WitnessPolicyReply },
      },
    },
    async (request, reply) => {
      const state = await service.ledger(request.params.org).current();
      if (!state.org) throw new ApiError('not_found', 'no such organisation');
      const policy = witnessPolicyOf(state.org.constitution);
      // The listed witnesses are the power settings' (change_witnesses), mirrored in the constitution.
      const witnesses = state.power.witnesses;
      return reply.header('cache-control', 'no-store').send(presentWitnessPolicy(witnesses, policy.required));
    },
  );

  app.post<{ Params: Static<typeof OrgParams>; Body: Static<typeof CosignatureBody> }>(
    '/orgs/:org/record/cosignatures',
    {
      schema: {
        tags: ['record'],
        summary: "Add a listed witness's cosignature to a checkpoint",
        params: OrgParams,
        body: CosignatureBody,
        response: { 201: Cosigned },
      },
    },
    async (request, reply) => {
      const { org } = request.params;
      const { size } = request.body;
      const line = request.body.line.endsWith('\n') ? request.body.line : `${request.body.line}\n`;
      const state = await service.ledger(org).current();
      if (!state.org) throw new ApiError('not_found', 'no such organisation');
      const witnesses = state.power.witnesses;
      if (witnesses.length === 0) throw new ApiError('not_allowed', 'this organisation lists no witnesses');
      for (let attempt = 0; attempt < 5; attempt++) {
        const note = await checkpointOfSize(service.db.kysely, org, size);
        if (!note) throw new ApiError('not_found', `no checkpoint of size ${size}`);
        const { candidate, cosigned } = withCosignature(note, line, witnesses);
        if (await replaceCheckpointNote(service.db.kysely, org, size, note, candidate)) {
          return reply.status(201).send(presentCosigned(size, cosigned));
        }
      }
      throw new ApiError('internal_error');
    },
  );
}

/** The note with one more cosignature line, if it is a valid one by a listed witness who has not cosigned yet. */
function withCosignature(note: string, line: string, witnesses: readonly string[]) {
  try {
    const candidate = addCosignatures(note, [line]);
    const { text, sigs } = noteSignatureLines(candidate);
    const before = noteSignatureLines(note).sigs.length;
    const result = checkWitnessPolicy(text, sigs, { witnesses, required: 0 });
    const added = sigs[before]!.sig;
    if (sigs.slice(0, before).some((s) => s.sig.name === added.name && s.sig.keyId === added.keyId)) {
      throw new ApiError('already_exists', `${added.name} has already cosigned this checkpoint`);
    }
    if (!result.cosigned.some((c) => c.name === added.name) || result.invalid.length > 0) {
      throw new ApiError(
        'invalid_proof',
        'the line is not a valid cosignature of this checkpoint by a listed witness',
      );
    }
    return { candidate, cosigned: result.cosigned.map((c) => c.name) };
  } catch (e) {
    if (e instanceof ApiError) throw e;
    throw invalidRequest('signature_line', 'line');
  }
}
