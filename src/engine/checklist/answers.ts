/**
 * The checklist's manual answers and notes, kept in `.shipsafe-checklist.txt` at the project root so a team
 * shares them through git. The format is made to merge: one line per item, sorted by id, each followed by a blank
 * line, so answers to different items never touch the same or adjacent lines (a test merges two branches with
 * real git):
 *
 *   # Shipsafe pre-deploy checklist: answers for what the code cannot show. …
 *
 *   authorization-per-resource: done -- every /orders route loads by (id, userId)
 *
 *   supabase-rls: n/a -- no Supabase in production
 *
 * An answer is `done`, `n/a` or `open` (a note with nothing decided yet). Notes are one line. Lines the parser
 * does not understand are errors (with their line number); the writer refuses to overwrite such a file rather
 * than lose them. Answers to ids this version does not know are kept.
 */

export const ANSWERS_FILE = '.shipsafe-checklist.txt';

export type AnswerValue = 'done' | 'n/a' | 'open';

export interface Answer {
  value: AnswerValue;
  note?: string;
}

export type Answers = Record<string, Answer>;

export interface ParsedAnswers {
  answers: Answers;
  errors: { line: number; message: string }[];
}

const HEADER = [
  '# Shipsafe pre-deploy checklist: answers for what the code cannot show.',
  '# One line per item, sorted by id, a blank line between items (so answers merge cleanly in git):',
  '#   <item-id>: done|n/a|open [-- note]',
  '# Edited by the Shipsafe panel in VS Code; safe to edit by hand.',
];

// `<id>: <value>` then, optionally, `-- <note>` (checked in code: one regex for it all backtracks on long blank runs)
const LINE = /^([a-z0-9][a-z0-9-]*)[ \t]*:[ \t]*(done|n\/a|open)(.*)$/;

export function parseAnswers(text: string): ParsedAnswers {
  const answers: Answers = {};
  const errors: ParsedAnswers['errors'] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const m = LINE.exec(line);
    const rest = m ? m[3].trimStart() : '';
    if (!m || (rest && !rest.startsWith('--'))) {
      errors.push({ line: i + 1, message: `expected "<item-id>: done|n/a|open [-- note]", got "${line.length > 60 ? `${line.slice(0, 57)}…` : line}"` });
      return;
    }
    if (answers[m[1]]) errors.push({ line: i + 1, message: `${m[1]} is answered twice; the last line wins` });
    const note = rest ? rest.slice(2).trim() : undefined;
    answers[m[1]] = { value: m[2] as AnswerValue, ...(note ? { note } : {}) };
  });
  return { answers, errors };
}

/** One line, no comment marker confusion: newlines and tabs become spaces. */
export function cleanNote(note: string | undefined): string | undefined {
  const n = (note ?? '').replace(/[\r\n\t]+/g, ' ').replace(/\s{2,}/g, ' ').trim();
  return n ? n.slice(0, 500) : undefined;
}

export function serializeAnswers(answers: Answers): string {
  const ids = Object.keys(answers).sort();
  const blocks = ids.map((id) => {
    const a = answers[id];
    const note = cleanNote(a.note);
    return `${id}: ${a.value}${note ? ` -- ${note}` : ''}`;
  });
  // every item line is followed by a blank line (the file ends with one too): an item inserted after another
  // then touches only that unchanged blank line, never the other item's line, so git merges the two edits
  return `${HEADER.join('\n')}\n\n${blocks.map((b) => `${b}\n\n`).join('')}`;
}

export class AnswersFileError extends Error {}

/**
 * The new text of the answers file after setting (or, with `answer` undefined, removing) one item's answer.
 * Throws AnswersFileError when the current text has lines the parser does not understand (nothing is lost).
 */
export function updateAnswers(current: string | undefined, id: string, answer: Answer | undefined): string {
  const parsed = parseAnswers(current ?? '');
  const bad = parsed.errors.filter((e) => !/answered twice/.test(e.message));
  if (bad.length) {
    throw new AnswersFileError(`${ANSWERS_FILE} line ${bad[0].line}: ${bad[0].message}; fix the file first, Shipsafe did not change it`);
  }
  const next: Answers = { ...parsed.answers };
  const note = cleanNote(answer?.note);
  if (!answer || (answer.value === 'open' && !note)) delete next[id];
  else next[id] = { value: answer.value, ...(note ? { note } : {}) };
  return serializeAnswers(next);
}
