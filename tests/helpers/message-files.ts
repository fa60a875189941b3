import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** `<ISO time, ':' and '.' as '-'>-`: the prefix the file twins give each message's file name. */
const TIME_PREFIX = /^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-\d{3}Z-/;

/** A message the local twins wrote: its header lines, its text, and the outbox id from its file name. */
export interface MessageFile {
  file: string;
  outboxId: string;
  headers: Record<string, string>;
  text: string;
}

/** The messages in a twin's directory, as a developer opening them would read them (partial files aside). */
export function readMessageFiles(directory: string): MessageFile[] {
  let files: string[];
  try {
    files = readdirSync(directory).filter((file) => TIME_PREFIX.test(file) && file.endsWith('.txt'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return files.sort().map((file) => {
    const content = readFileSync(path.join(directory, file), 'utf8');
    const split = content.indexOf('\n\n');
    const headers = Object.fromEntries(
      content
        .slice(0, split)
        .split('\n')
        .map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 2)]),
    );
    return { file, outboxId: file.replace(TIME_PREFIX, '').slice(0, -'.txt'.length), headers, text: content.slice(split + 2, -1) };
  });
}
