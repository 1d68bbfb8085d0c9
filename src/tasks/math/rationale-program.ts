/**
 * A program-of-thought demonstration from a GSM8K rationale: each calculator annotation
 * `<<16-3-4=9>>` becomes a step `step1 = 16 - 3 - 4`, and the last step is the `answer`. `null`
 * when the rationale has no annotation. Useful as a prompt demonstration for the math task.
 * @example programFromRationale('She sells 16 - 3 - 4 = <<16-3-4=9>>9 eggs.\n#### 9') // 'step1 = 16-3-4\nanswer = step1'
 */
export function programFromRationale(rationale: string): string | null {
  const steps = [...rationale.matchAll(/<<([^=<>]+)=([^<>]*)>>/g)].map((match) => match[1]!.trim());
  const usable = steps.filter((expression) => /^[\d\s.+\-*/()%]+$/.test(expression));
  if (usable.length === 0) return null;
  const lines = usable.map(
    (expression, index) => `step${index + 1} = ${expression.replace(/(\d),(\d{3})/g, '$1$2')}`,
  );
  return [...lines, `answer = step${usable.length}`].join('\n');
}
