// Timestamped migrations, forward-only once published. Add a file and a line here; never edit a published one.
import type { Migration, MigrationProvider } from 'kysely';
import * as initial from './2026-11-27T0500-initial.ts';
import * as record from './2026-11-27T0600-record.ts';
import * as secret from './2026-11-27T0710-secret.ts';
import * as power from './2026-11-27T0700-power.ts';
import * as sealed from './2026-11-27T0720-sealed.ts';
import * as pay from './2026-11-27T0730-pay.ts';
import * as recordKeys from './2026-11-27T0800-record-keys.ts';
import * as blindCredentials from './2026-11-27T0850-blind-credentials.ts';
import * as orgKeys from './2026-11-27T1045-org-keys.ts';
import * as idempotency from './2026-12-06T1600-idempotency.ts';
import * as attention from './2026-12-06T1830-attention.ts';
import * as memberLocales from './2026-12-06T1900-member-locales.ts';
import * as accounts from './2026-12-06T1910-accounts.ts';
import * as admissions from './2026-12-06T1920-admissions.ts';
import * as mail from './2026-12-06T1930-mail.ts';
import * as readIndexes from './2026-12-06T1930-read-indexes.ts';
import * as webhooks from './2026-12-06T2200-webhooks.ts';
import * as memberIndexes from './2026-12-06T2240-member-indexes.ts';
import * as rateBuckets from './2026-12-06T2300-rate-buckets.ts';
import * as noElectors from './2026-12-07T0100-no-electors.ts';
import * as motionStateIndex from './2026-12-07T0110-motion-state-index.ts';
import * as commentPositionIndex from './2026-12-07T1600-comment-position-index.ts';
import * as memberDirectoryIndex from './2026-12-07T0400-member-directory-index.ts';
import * as nameSearch from './2026-12-07T0700-name-search.ts';
import * as orgCounts from './2026-12-07T1000-org-counts.ts';
import * as membershipNameKey from './2026-12-07T1015-membership-name-key.ts';
import * as missingNameKeys from './2026-12-07T1300-missing-name-keys.ts';
import * as secretBoard from './2026-12-07T1400-secret-board.ts';
import * as secretBoardCodeSeq from './2026-12-07T1500-secret-board-code-seq.ts';
import * as secretBoardMarks from './2026-12-07T1610-secret-board-marks.ts';
import * as powerListIndexes from './2026-12-07T1620-power-list-indexes.ts';
import * as admissionEnded from './2026-12-07T1800-admission-ended.ts';
import * as petitionMotionIndex from './2026-12-07T1930-petition-motion-index.ts';
import * as petitionSignedIn from './2026-12-07T2130-petition-signed-in.ts';

const migrations: Record<string, Migration> = {
  '2026-11-27T0500-initial': initial,
  '2026-11-27T0600-record': record,
  '2026-11-27T0710-secret': secret,
  '2026-11-27T0700-power': power,
  '2026-11-27T0720-sealed': sealed,
  '2026-11-27T0730-pay': pay,
  '2026-11-27T0800-record-keys': recordKeys,
  '2026-11-27T0850-blind-credentials': blindCredentials,
  '2026-11-27T1045-org-keys': orgKeys,
  '2026-12-06T1600-idempotency': idempotency,
  '2026-12-06T1830-attention': attention,
  '2026-12-06T1900-member-locales': memberLocales,
  '2026-12-06T1910-accounts': accounts,
  '2026-12-06T1920-admissions': admissions,
  '2026-12-06T1930-mail': mail,
  '2026-12-06T1930-read-indexes': readIndexes,
  '2026-12-06T2200-webhooks': webhooks,
  '2026-12-06T2240-member-indexes': memberIndexes,
  '2026-12-06T2300-rate-buckets': rateBuckets,
  '2026-12-07T0100-no-electors': noElectors,
  '2026-12-07T0110-motion-state-index': motionStateIndex,
  '2026-12-07T0400-member-directory-index': memberDirectoryIndex,
  '2026-12-07T0700-name-search': nameSearch,
  '2026-12-07T1000-org-counts': orgCounts,
  '2026-12-07T1015-membership-name-key': membershipNameKey,
  '2026-12-07T1300-missing-name-keys': missingNameKeys,
  '2026-12-07T1400-secret-board': secretBoard,
  '2026-12-07T1500-secret-board-code-seq': secretBoardCodeSeq,
  '2026-12-07T1600-comment-position-index': commentPositionIndex,
  '2026-12-07T1610-secret-board-marks': secretBoardMarks,
  '2026-12-07T1620-power-list-indexes': powerListIndexes,
  '2026-12-07T1800-admission-ended': admissionEnded,
  '2026-12-07T1930-petition-motion-index': petitionMotionIndex,
  '2026-12-07T2130-petition-signed-in': petitionSignedIn,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
