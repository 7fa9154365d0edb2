// What is wrong with a malformed command, in words: every InvalidCommand has a stable snake_case problem id and its
// parameters, and this table holds its English sentence, with {name} where a parameter goes. {field} is the field's
// path as the API names it ("constitution.procedure.closure"); the edge names the field in words in the member's
// language from the catalogue (src/i18n, `invalid_<id>`, and `field_<name>` for the path's last named segment).
// InvalidCommand takes only these ids, so a message without a catalogue entry cannot be thrown;
// test/i18n/catalogues.test.ts checks every id is in every language with parameters the core gives. The English
// filled here is the error's `message` for the CLI, the logs and `councils verify`; it keeps the API's own names.
// Parameters that are details from the ballot library (`detail`) are technical text, shown as they are.
// An item of a list is named by its `index` (from 0, as the API counts) and its `number` (from 1, for people).
import { fillText, type ReasonParams } from './reasons.ts';

export const inputProblems = {
  // Text and numbers (kernel/limits.ts)
  not_a_string: '{field} must be a string',
  empty: '{field} must not be empty',
  too_long: '{field} must be at most {max} characters',
  text_nul: '{field} must not hold U+0000',
  text_lone_surrogate: '{field} must be well-formed Unicode (it holds a lone surrogate)',
  key_nul: 'the name of {name} must not hold U+0000',
  key_lone_surrogate: 'the name of {name} must be well-formed Unicode (it holds a lone surrogate)',
  not_finite: '{field} must be a finite number',
  required: '{field} is required',
  not_an_object: '{field} must be an object',
  not_a_list: '{field} must be a list',
  not_an_id: '{field} must be an id',
  not_boolean: '{field} must be true or false',
  // Settings of a constitution (kernel/settings.ts, constitution.ts, power-rules.ts, procedure-rules.ts)
  unknown_setting: '{field} is not a known setting',
  integer_min: '{field} must be an integer >= {min}',
  integer_range: '{field} must be an integer from {min} to {max}',
  fraction_positive: '{field} must be a fraction {num, den} with 0 < num <= den',
  fraction_share: '{field} must be a fraction {num, den} with 0 <= num <= den, den > 0',
  fraction_qualified: '{field} must be a fraction {num, den} above 1/2 and at most 1',
  threshold_kind: '{field} must be {kind:"fraction",num,den} or {kind:"absolute",count}',
  approvals_kind:
    '{field} must be {kind:"fraction",num,den} with 0 < num <= den or {kind:"absolute",count} with count >= 1',
  quorum_kind: '{field} must be {kind:"none"}, {kind:"fraction",num,den} or {kind:"absolute",count}',
  majority_kind: '{field} must be {kind:"simple"}, {kind:"absolute"} or {kind:"supermajority",num,den}',
  authority_council: '{field} must be "root" or "subject"',
  authority_by: '{field} must be "committee" or "council"',
  admission_by: '{field} must be "approvals" or "motion"',
  pay_visibility: '{field} must be "individuals" or "aggregates"',
  record_visibility: '{field} must be "members" or "public"',
  voting_minimum_over_longest: '{field} must be at most constitution.votingMinutes ({max})',
  emergency_debate_longer: '{field} must be at most the ordinary debateMinimumMinutes ({max})',
  emergency_voting_longer: '{field} must be at most the ordinary votingMinimumMinutes ({max})',
  recall_debate_moved: '{field} is now constitution.procedure.recallDebateMinutes: set it there',
  witnesses_shape: '{field} must be {keys: [witness keys], required}',
  witnesses_too_many: '{field} must list at most {max} witness keys',
  witness_key: '{field}[{index}] must be a witness verifier key (name+hash+base64 of type 0x04)',
  witness_twice: '{field} lists a witness twice',
  witnesses_required: '{field} must be a whole number from 0 to the number of keys',
  // The size of what is written (kernel/entry-size.ts, the store)
  entry_too_large: "the {act} entry would be {bytes} bytes, over the record's limit of {max}: shorten it",
  entry_too_large_text:
    "the {act} entry would be {bytes} bytes, over the record's limit of {max}: shorten the text",
  entry_too_large_content:
    "the {act} entry would be {bytes} bytes, over the record's limit of {max}: shorten the content",
  entry_too_large_scheme:
    "the {act} entry would be {bytes} bytes, over the record's limit of {max}: shorten the text or the scheme",
  entry_too_large_alternatives:
    "the {act} entry would be {bytes} bytes, over the record's limit of {max}: move the motion with shorter alternatives and propose the long ones one by one",
  entry_not_canonical: 'the {act} entry cannot be written as canonical JSON: {detail}',
  // Founding (organisation/founding.ts)
  councils_empty: '{field} must list at least one council',
  councils_too_many: '{field}: at most {max} councils are founded at once',
  one_root: 'exactly one council must have no parent (the root)',
  council_id_twice: 'council id "{id}" appears twice',
  seats_range: '{field} must be an integer {min}..{max}',
  council_sends_deputy: 'council "{name}" must send at least one deputy',
  unknown_parent: 'council "{name}" names an unknown parent',
  council_cycle: 'council "{name}" is in a cycle',
  founder_unknown_council: 'founder names an unknown council',
  founders_base_councils: 'founders join base councils; higher councils are made of elected deputies',
  invitations_base_councils: 'invitations are to base councils',
  // Motions and votes (motions/decide.ts, votes/)
  emergency_by_majority: 'an emergency motion is decided by majority vote',
  emergency_supermajority: 'an emergency motion is decided by the emergency supermajority',
  method_one_of: '{field} must be one of {methods}',
  majority_method_only: 'majority applies to the "majority" method only',
  majority_choice: '{field} must be "ordinary", "absolute" or "supermajority"',
  max_score_range: '{field} must be 1..100',
  max_score_score_only: 'maxScore applies to the "score" method',
  alternatives_list: '{field} must be a list of at most {max}',
  secret_ballot_too_large:
    'a secret ballot over {options} alternatives would take {bytes} bytes, more than a record entry holds ({max}): use fewer alternatives, or an open ballot',
  secret_ballot_too_large_score:
    'a secret ballot over {options} alternatives would take {bytes} bytes, more than a record entry holds ({max}): use fewer alternatives or a lower highest score, or an open ballot',
  stance: '{field} must be "for", "against" or "neutral"',
  candidate_needed: 'an election needs a candidate',
  candidates_election_only: 'only an election has candidates',
  voting_minutes_range: '{field} must be an integer from 1 to {max}',
  recall_names_mandate: 'a recall names a mandate',
  agenda_petition_rises: 'only an agenda petition rises',
  petition_kind: '{field} must be "agenda", "recall" or "election"',
  request_kind: '{field} must be one of {kinds}',
  public_key_hex: '{field} must be 64 lowercase hex digits',
  // Secret votes (secret/decide.ts)
  secret_methods: 'a secret ballot counts {methods} or a ranked method only',
  trustees_list: '{field} must list 1 to 255 different members',
  trustee_not_appointed: '{field}[{index}] is not an appointed trustee',
  trustee_not_member: '{field}[{index}] is not a member of this council',
  secret_threshold_range: '{field} must be 1..{max}',
  registration_minutes: '{field} must be a positive integer',
  registration_before_close: 'registration must end before voting closes',
  issuer_key: '{field}: {detail}',
  issuers_per_weight: '{field}: one key for each weight {weights}',
  trustee_message_form: '{field} must be { kind, body }',
  trustee_number_range: 'trustee number must be 1..{max}',
  trustee_message_shape: '{field}: {detail}',
  mix_minutes: '{field} must be a positive integer, for a ranked method only',
  ranked_by_mix_decryption: 'a ranked vote is decrypted by mix-decryption',
  mix_decryption_ranked_only: 'mix-decryption is for ranked votes',
  secret_ranked_too_large:
    'a secret ranked ballot takes at most {max} candidates, not {candidates}: use fewer alternatives, or an open ballot',
  unexpected_member: '{field}.{name} is not a member',
  missing_member: '{field}.{name} is missing',
  hex64: '{field} must be 64 lower-case hex digits',
  mixer_number: '{field} must be {want}',
  trustee_message_kind: '{field} must be dkg-commit, dkg-shares, dkg-accusation or partial-decryption',
  more_credentials_than_electors: 'more credentials than electors',
  credential_invalid: '{field}[{index}]: {detail}',
  credentials_invalid: '{field}: {detail}',
  // Privileged acts and webhooks (power/privileged-acts.ts, webhooks/endpoint.ts)
  id_list: '{field} must be a list of at most {max} ids',
  id_list_twice: '{field} names someone twice',
  id_list_empty: '{field} must name someone',
  verifier_key: '{field} must be a signed-note verifier key',
  entry_number: '{field} must be an entry number',
  council_id_or_null: '{field} must be a council id or null',
  url_too_long: '{field} must be a URL of at most {max} characters',
  url_absolute: '{field} must be an absolute http or https URL',
  url_http: '{field} must be an http or https URL',
  url_credentials: '{field} must not carry a user or password (every member can read it)',
  url_fragment: '{field} must not have a #fragment',
  event_types: '{field} must list event types among {types}',
  event_type_twice: '{field} names an event type twice',
  // Pay (pay/decisions.ts)
  scheme_format: '{field}: must be "{format}"',
  scheme_max_below_min: '{field}: must not be below minimumPay.amount',
  scheme_grades_many: '{field}: must have at most {max} grades',
  scheme_grade_twice: '{field}: duplicate grade "{id}"',
  scheme_bands_not_allowed: '{field}: not allowed for system "{system}"',
  scheme_first_band: '{field}: the first band must start at "0" (the norm)',
  scheme_edges_increase: '{field}: band edges must increase',
  scheme_percent_or_amount: '{field}: must have exactly one of "percent" and "amount"',
  scheme_unknown_grade: '{field}: unknown grade "{id}"',
  scheme_ratio_cap: '{field}: requires a positive minimumPay with basis "{basis}"',
  scheme_last_band_open: '{field}: the last band must have upTo null',
  scheme_only_last_open: '{field}: only the last band is open',
  scheme_rates_decrease: '{field}: replacement rates must not increase with earnings',
  scheme_object: '{field}: must be an object',
  scheme_unknown_field: '{field}: unknown field (expected one of {keys})',
  scheme_array: '{field}: must be an array',
  scheme_array_min: '{field}: must have at least {min} element(s)',
  scheme_string: '{field}: must be a non-empty string',
  scheme_string_long: '{field}: must be at most {max} characters',
  scheme_integer: '{field}: must be an integer (money is in minor units)',
  scheme_integer_range: '{field}: must be between {min} and {max}',
  scheme_decimal: '{field}: must be a decimal string such as "1.25"',
  scheme_decimal_places:
    '{field}: must be a plain decimal with at most {places} decimal places, got "{value}"',
  scheme_decimal_range: '{field}: must be between {min} and {max}, got "{value}"',
  scheme_enum: '{field}: must be one of {options}',
  scheme_same_currency: '{field}: the current and the proposed scheme must use the same currency',
  scheme_too_large:
    '{field} is {bytes} bytes as canonical JSON; a scheme must fit one log entry (at most {max} bytes)',
  sha256_hex: '{field} must be 64 lowercase hex digits',
  workers_min: '{field} must be an integer >= 1',
  scheme_pay_motion_only: 'only a pay motion carries a scheme',
  scheme_needed: 'an alternative of a pay motion needs a scheme',
  // Pay's workforce files (pay/rfc4180.ts, pay/workers-csv.ts): {line} and {column} count from 1, {header} is the
  // column's name as the file writes it
  csv_empty_file: 'line {line}: the file is empty: expected a header id,grade,hours[,output]',
  csv_unclosed_quote: 'line {line}, column {column}: quoted field is not closed',
  csv_text_after_quote: 'line {line}, column {column}: text after the closing quote (write "" for a quote)',
  csv_quote_in_field: 'line {line}, column {column}: a quote inside an unquoted field (quote the field)',
  csv_unknown_column: 'line {line}, column {column} ({header}): unknown column (expected {expected})',
  csv_duplicate_column: 'line {line}, column {column} ({header}): duplicate column',
  csv_missing_column: 'line {line}: missing required column {header}',
  csv_field_count: 'line {line}, column {column}: expected {expected} fields, found {found}',
  csv_id_empty: 'line {line}, column {column} ({header}): id is empty',
  csv_duplicate_id: 'line {line}, column {column} ({header}): duplicate id "{id}" (first on line {first})',
  csv_grade_empty: 'line {line}, column {column} ({header}): grade is empty',
  csv_unknown_grade: 'line {line}, column {column} ({header}): unknown grade "{grade}"',
  csv_grades_many: 'line {line}, column {column} ({header}): more than {max} distinct grades',
  csv_hours:
    'line {line}, column {column} ({header}): hours must be a number > 0 with at most 2 decimals, got "{value}"',
  csv_output:
    'line {line}, column {column} ({header}): output must be a fraction of the norm (1 = the norm) with at most 4 decimals, got "{value}"',
  // Workers against a scheme (pay/worker-table.ts, pay/payroll.ts): {field} names the worker's row and column
  payroll_period: '{field} must be a non-empty label of at most 64 characters',
  payroll_id_empty: '{field} must be a non-empty string',
  payroll_duplicate_id: '{field}: duplicate worker id "{id}"',
  payroll_grade_empty: '{field} must be a non-empty string',
  payroll_grades_many: '{field}: more than {max} distinct grades',
  payroll_hours: '{field} must be hours > 0 with at most 2 decimals, got {value}',
  payroll_output: '{field} must be a fraction of the norm with at most 4 decimals, got {value}',
  payroll_count: '{field} must be a count, got {value}',
  payroll_column_length: '{field} has {length} entries, expected {count}',
  payroll_grade_index: '{field}: index {value} has no grade',
  payroll_hours_range: '{field} must be in 0.01..{max}',
  payroll_output_range: '{field} must be at most 100 × the norm',
  payroll_grade_not_in_scheme:
    'the workforce does not fit the scheme: worker "{worker}" has grade "{grade}", which scheme "{scheme}" v{version} does not define',
  // Sealed records (sealed/records.ts, the server's sealing)
  commitment_base64: '{field} must be 32 bytes in base64',
  release_needed: '{field} needs a date (at) or a condition',
  release_date_or_condition: 'give a release date (releaseAt) or a condition (releaseCondition)',
  release_iso: '{field} must be an ISO 8601 UTC time',
  key_kept_by: '{field} must be "service" or "sealer"',
  release_future: '{field} must be in the future',
  sealed_too_large:
    '{field} is {bytes} bytes as UTF-8; a sealed record holds at most {max}, so that its reveal fits one log entry',
  // The server's own checks of a request (src/server: invalidRequest in errors.ts)
  email_address: '{field} must be an e-mail address',
  idempotency_key_one: 'send one {field} header',
  pay_period: '{field} must be 1-32 letters, digits, ".", "_" or "-"',
  url_not_decodable: 'the URL does not decode: a malformed or non-UTF-8 escape',
  file_not_utf8: '{field}: the file is not valid UTF-8',
  credential_format: '{field}: {detail}',
  blinded_message_length: '{field}: {bytes} bytes of hex',
  blinded_message_modulus: '{field}: not below the modulus',
  signature_line: '{field} is not a signature line ("— <name> <base64>")',
  range_from_after_to: '{field} ({from}) must not exceed to ({to})',
} as const;

export type ProblemId = keyof typeof inputProblems;

export type ProblemParams = ReasonParams;

/** The English sentence of `problem` with its parameters filled in. */
export function problemText(problem: ProblemId, params: ProblemParams = {}): string {
  return fillText(inputProblems[problem], params);
}
