/** The fit grades, best first. */
export const fitGrades = ['A', 'B', 'C', 'D'] as const;

/** One colour per fit grade, the same on every page. */
export const gradeColors: Record<string, string> = { A: 'teal', B: 'blue', C: 'yellow', D: 'gray' };

/** The grades as a picker's options: "Grade A" … */
export const gradeOptions = fitGrades.map((grade) => ({ value: grade, label: `Grade ${grade}` }));
