// The organisation's part of the model: its founding, its councils, its members and the invitations that bring
// them in. Types only; src/core/model.ts joins them with the other features'.
import type { Constitution } from '../kernel/constitution.ts';

export interface CouncilSpec {
  id: string;
  name: string;
  parentId: string | null;
  /** How many deputies this council sends to its parent (0 for the root). */
  seatsInParent: number;
}

export interface Organisation {
  id: string;
  name: string;
  constitution: Constitution;
  rootCouncilId: string;
  foundedAt: string;
}

export interface Council {
  id: string;
  name: string;
  parentId: string | null;
  seatsInParent: number;
  childIds: string[];
  /** Base councils (no children) have people as members; higher councils have the deputies sent up. */
  memberIds: Set<string>;
}

export interface Member {
  id: string;
  name: string;
  joinedAt: string;
}

export interface Invitation {
  id: string;
  councilId: string;
  name: string;
  invitedBy: string | null;
  issuedAt: string;
  usedBy: string | null;
}

export interface OrganisationPayloads {
  /** The first councils (the root among them); a tree too large for one entry continues in councils_founded. */
  org_founded: { orgId: string; name: string; constitution: Constitution; councils: CouncilSpec[] };
  /** More councils of the founding, right after org_founded, each after its parent (decide.ts `found`). */
  councils_founded: { councils: CouncilSpec[] };
  member_admitted: { memberId: string; name: string; councilId: string; invitationId: string | null };
  invitation_issued: { invitationId: string; councilId: string; name: string };
}

export type OrganisationCommand =
  | {
      type: 'found_organisation';
      name: string;
      constitution?: unknown;
      councils: CouncilSpec[];
      /** Members admitted at once (their accounts are made outside the log, or not at all). */
      founders: { memberId: string; name: string; councilId: string }[];
      /** Invitations issued by the founding itself: the usual way for founders to get accounts. */
      invitations?: { name: string; councilId: string }[];
    }
  | { type: 'issue_invitation'; councilId: string; name: string }
  | { type: 'accept_invitation'; invitationId: string; memberId: string; name?: string };
