// What this browser keeps for its member's secret votes (localStorage): the credential secret of each vote (made
// here, never sent) and a receipt — the confirmation code — of each ballot cast, for "my receipts".
export interface Receipt {
  orgId: string;
  voteId: string;
  motionId: string;
  title: string;
  code: string;
  /** ISO time the ballot was cast from this browser. */
  castAt: string;
}

import type { SignedCredential } from '../../ballot/credential-token.ts';

const receiptsKey = (orgId: string, memberId: string) => `councils.receipts.${orgId}.${memberId}`;
const credentialKey = (orgId: string, memberId: string, voteId: string) =>
  `councils.credential.${orgId}.${memberId}.${voteId}`;

export function loadReceipts(orgId: string, memberId: string): Receipt[] {
  try {
    const r = JSON.parse(localStorage.getItem(receiptsKey(orgId, memberId)) ?? '[]') as unknown;
    return Array.isArray(r) ? (r as Receipt[]) : [];
  } catch {
    return [];
  }
}

export function addReceipt(memberId: string, receipt: Receipt): void {
  const all = loadReceipts(receipt.orgId, memberId).filter((r) => r.code !== receipt.code);
  localStorage.setItem(receiptsKey(receipt.orgId, memberId), JSON.stringify([...all, receipt]));
}

/** A credential kept in this browser: the secret, and once issued its signature; `listed` once it is on the list. */
export interface KeptCredential {
  secret: string;
  public: string;
  signed?: SignedCredential;
  listed?: boolean;
}

export function loadCredential(orgId: string, memberId: string, voteId: string): KeptCredential | null {
  try {
    return JSON.parse(
      localStorage.getItem(credentialKey(orgId, memberId, voteId)) ?? 'null',
    ) as KeptCredential | null;
  } catch {
    return null;
  }
}

export function saveCredential(orgId: string, memberId: string, voteId: string, c: KeptCredential): void {
  localStorage.setItem(credentialKey(orgId, memberId, voteId), JSON.stringify(c));
}
