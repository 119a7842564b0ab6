/** One colour per fit grade, the same on every page. */
export const gradeColors: Record<string, string> = { A: 'teal', B: 'blue', C: 'yellow', D: 'gray' };
