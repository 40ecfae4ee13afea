// Safety of a custom condition's Rego body before it is pasted into a
// generated rule: it must stay inside the rule's braces. A lexical check —
// brackets balanced outside strings and comments, no package or import — so
// a body cannot close the rule and define others. (Whether it is valid Rego
// is the Rego compiler's to say, with the YAML location mapped back.)

export interface BodyProblem {
  /** 0-based line within the body */
  line: number;
  col: number;
  message: string;
}

export function checkRegoBody(body: string): BodyProblem[] {
  const problems: BodyProblem[] = [];
  const stack: { ch: string; line: number; col: number }[] = [];
  const pairs: Record<string, string> = { ")": "(", "]": "[", "}": "{" };
  const lines = body.split("\n");
  let inString: '"' | "`" | undefined;
  let stringStart = { line: 0, col: 0 };
  lines.forEach((text, line) => {
    if (!inString && /^\s*(package|import)\b/.test(text)) {
      problems.push({ line, col: text.search(/\S/) + 1, message: `a condition cannot declare ${text.trim().split(/\s+/)[0]}` });
    }
    for (let i = 0; i < text.length; i++) {
      const ch = text[i]!;
      if (inString === '"') {
        if (ch === "\\") i++;
        else if (ch === '"') inString = undefined;
        continue;
      }
      if (inString === "`") {
        if (ch === "`") inString = undefined;
        continue;
      }
      if (ch === "#") break; // comment to end of line
      if (ch === '"' || ch === "`") {
        inString = ch;
        stringStart = { line, col: i + 1 };
        continue;
      }
      if (ch === "(" || ch === "[" || ch === "{") stack.push({ ch, line, col: i + 1 });
      else if (ch === ")" || ch === "]" || ch === "}") {
        const open = stack.pop();
        if (!open || open.ch !== pairs[ch]) {
          problems.push({ line, col: i + 1, message: `unbalanced '${ch}'` });
          if (open) stack.push(open);
        }
      }
    }
    if (inString === '"') {
      problems.push({ line: stringStart.line, col: stringStart.col, message: "unterminated string" });
      inString = undefined;
    }
  });
  if (inString === "`") problems.push({ line: stringStart.line, col: stringStart.col, message: "unterminated raw string" });
  for (const open of stack) problems.push({ line: open.line, col: open.col, message: `unclosed '${open.ch}'` });
  return problems;
}
