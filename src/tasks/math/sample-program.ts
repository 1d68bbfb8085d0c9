const NOUNS = ['apples', 'pencils', 'marbles', 'stickers', 'books', 'cookies'];
const PEOPLE = ['Ana', 'Ben', 'Chloe', 'Dev', 'Eli', 'Farah'];

/**
 * Draw a small program-of-thought without a model (programs-first generation): a starting count,
 * two or three steps of adding, removing, multiplying or sharing, and `answer`. Deterministic for a
 * seeded `random`; every division is exact.
 */
export function sampleMathProgram(random: () => number): string {
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  const whole = (low: number, high: number) => low + Math.floor(random() * (high - low + 1));
  const person = pick(PEOPLE);
  const noun = pick(NOUNS);
  let value = whole(6, 40);
  const lines = [`# ${person}'s ${noun}`, `${noun} = ${value}`];
  const steps = whole(2, 3);
  for (let step = 0; step < steps; step++) {
    const kind = pick(['add', 'remove', 'times', 'share'] as const);
    if (kind === 'add') {
      const amount = whole(2, 25);
      lines.push(`${noun} = ${noun} + ${amount}  # gets ${amount} more`);
      value += amount;
    } else if (kind === 'remove' && value > 2) {
      const amount = whole(1, value - 1);
      lines.push(`${noun} = ${noun} - ${amount}  # gives away ${amount}`);
      value -= amount;
    } else if (kind === 'times') {
      const factor = whole(2, 4);
      lines.push(`${noun} = ${noun} * ${factor}  # ends up with ${factor} times as many`);
      value *= factor;
    } else {
      const divisors = [2, 3, 4, 5].filter((divisor) => value % divisor === 0);
      if (divisors.length === 0) continue;
      const divisor = pick(divisors);
      lines.push(`${noun} = ${noun} // ${divisor}  # keeps one of ${divisor} equal shares`);
      value /= divisor;
    }
  }
  lines.push(`answer = ${noun}`);
  return lines.join('\n');
}

/** A word problem drafted from a sampled program's comments (for a model or a person to polish). */
export function describeMathProgram(program: string): string {
  const title = /^# (.+)$/m.exec(program)?.[1] ?? 'a count';
  const start = /^(\w+) = (\d+)$/m.exec(program);
  const steps = [...program.matchAll(/#\s*(gets .+|gives away .+|ends up .+|keeps .+)$/gm)].map(
    (match) => match[1]!,
  );
  const noun = start?.[1] ?? 'items';
  const who = title.split("'")[0];
  const parts = [
    `${who} has ${start?.[2] ?? 'some'} ${noun}.`,
    ...steps.map((step) => `Then ${who} ${step}.`),
  ];
  return `${parts.join(' ')} How many ${noun} does ${who} have now?`;
}
