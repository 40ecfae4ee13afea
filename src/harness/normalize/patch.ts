// The files a patch touches: Codex/OpenCode `apply_patch` envelopes
// (`*** Update File: …`) and unified diffs (`+++ b/…`).

export interface PatchFiles {
  written: string[];
  deleted: string[];
}

export function patchFiles(text: string): PatchFiles {
  const written: string[] = [];
  const deleted: string[] = [];
  for (const line of text.split("\n")) {
    let m = /^\*\*\* (Add File|Update File|Move to|Delete File): (.+)$/.exec(line);
    if (m) {
      (m[1] === "Delete File" ? deleted : written).push(m[2].trim());
      continue;
    }
    m = /^(\+\+\+|---) (?:[ab]\/)?([^\t]+)/.exec(line);
    if (m && m[2].trim() !== "/dev/null") written.push(m[2].trim());
  }
  return { written: [...new Set(written)], deleted: [...new Set(deleted)] };
}
