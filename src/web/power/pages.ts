// The pages of power from below and collective authority, one chunk loaded when one of them is opened (they
// bring the Ed25519 code of src/core/power/approval-signature.ts).
export { CommitteesPage } from './committees-page.tsx';
export { KeyPage } from './key-page.tsx';
export { PetitionPage } from './petition-page.tsx';
export { RecordSettingsPage } from './record-settings-page.tsx';
export { RequestPage } from './request-page.tsx';
export { RequestsPage } from './requests-page.tsx';
export { WebhooksPage } from './webhooks-page.tsx';
