/**
 * Whether every subject `subject` can match is also matched by `pattern` (NATS wildcards: `*` one token,
 * `>` one or more trailing tokens). Used to check that an existing stream holds the subjects we need.
 */
export function subjectCovers(pattern: string, subject: string): boolean {
  const wanted = subject.split('.');
  const held = pattern.split('.');
  for (let index = 0; index < held.length; index += 1) {
    const token = held[index]!;
    const ours = wanted[index];
    if (ours === undefined) return false;
    if (token === '>') return true;
    if (ours === '>' || (ours === '*' && token !== '*')) return false;
    if (token !== '*' && token !== ours) return false;
  }
  return held.length === wanted.length;
}
