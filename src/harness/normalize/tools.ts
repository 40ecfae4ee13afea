// Tool names across harnesses → what kind of action they are and where in
// the tool input their operands live. Aliases matter: peers shipped
// bypasses where `MultiEdit` or `NotebookEdit` slipped past rules written
// for `Edit`. Names are matched case-insensitively; anything unknown is
// "other", which no policy grants by accident (it is not a read).

export type ToolShape =
  /** runs a shell command line */
  | { shape: "shell"; parse: boolean }
  | { shape: "read" }
  | { shape: "write" }
  | { shape: "delete" }
  /** a patch text that names the files it changes */
  | { shape: "patch" }
  | { shape: "fetch" }
  /** a text editor tool whose `command` says read or write */
  | { shape: "editor" }
  | { shape: "other" };

const TOOLS: Record<string, ToolShape> = {};
const add = (shape: ToolShape, ...names: string[]) => names.forEach((n) => (TOOLS[n] = shape));

add({ shape: "shell", parse: true }, "bash", "shell", "run_shell_command", "exec_command", "local_shell", "container.exec", "terminal", "run_terminal_cmd", "run_command", "execute_command", "unified_exec");
// PowerShell is not bash: the line is passed on unparsed, which policies
// treat as unknown
add({ shape: "shell", parse: false }, "powershell", "pwsh", "cmd");
add({ shape: "read" }, "read", "read_file", "readfile", "read_many_files", "notebookread", "glob", "grep", "ls", "list", "list_dir", "list_directory", "search_file_content", "view", "codebase_search", "file_search", "grep_search", "lsp");
add({ shape: "write" }, "write", "edit", "multiedit", "notebookedit", "write_file", "replace", "edit_file", "create_file", "search_replace", "str_replace", "insert", "write_to_file");
add({ shape: "delete" }, "delete", "delete_file", "remove_file");
add({ shape: "patch" }, "apply_patch", "applypatch", "patch", "apply_diff");
add({ shape: "fetch" }, "webfetch", "web_fetch", "fetch", "fetch_url", "http_request");
add({ shape: "editor" }, "str_replace_based_edit_tool", "str_replace_editor", "text_editor");

export function toolShape(tool: string): ToolShape {
  return TOOLS[tool.toLowerCase()] ?? { shape: "other" };
}

/** Fields that hold a file path, in the order harnesses use them. */
export const PATH_FIELDS = ["file_path", "filePath", "notebook_path", "absolute_path", "target_file", "path", "file", "filename", "dir_path", "directory", "target_directory", "relative_workspace_path"];
/** Fields that hold several paths. */
export const PATHS_FIELDS = ["paths", "file_paths", "files"];
/** Fields that hold a shell command. */
export const COMMAND_FIELDS = ["command", "cmd", "commandLine", "command_line", "script"];
/** Fields that hold a working directory for a shell command. */
export const WORKDIR_FIELDS = ["workdir", "cwd", "directory", "working_directory", "dir_path"];
/** Fields that hold patch text. */
export const PATCH_FIELDS = ["patch", "patchText", "patch_text", "input", "command", "diff"];
