// Package installs in a shell line → `action.package_manager` and
// `action.packages`: which manager, and the package names as given
// (versions included). Runners that fetch and execute a package (npx, uvx,
// pnpm dlx) count as installs: the code arrives the same way.

export interface PackageInstall {
  manager: string;
  packages: string[];
}

interface Manager {
  /** subcommands (after global options) that install; "" = the manager
   *  itself takes packages (npx, uvx) */
  install: string[];
  /** options that take a value as the next word */
  withValue?: string[];
  /** words that may come between the manager and the subcommand */
  prefix?: string[];
}

const NPM_INSTALL = ["install", "i", "in", "ins", "inst", "insta", "instal", "isnt", "isnta", "isntal", "isntall", "add", "ci", "update", "up", "upgrade", "exec"];
const PIP_VALUES = ["-r", "--requirement", "-c", "--constraint", "-i", "--index-url", "--extra-index-url", "-t", "--target", "--prefix", "--root", "-f", "--find-links", "--trusted-host", "--platform", "--python-version", "--implementation", "--abi", "--src", "--upgrade-strategy", "--progress-bar", "--log", "--proxy", "--retries", "--timeout", "--cache-dir"];

const MANAGERS: Record<string, Manager> = {
  npm: { install: NPM_INSTALL, withValue: ["--registry", "--prefix", "-w", "--workspace", "--tag", "--omit", "--include", "--cache", "-C"] },
  npx: { install: [""], withValue: ["-p", "--package", "-c", "--call"] },
  yarn: { install: ["add", "install", "dlx", "upgrade", "up"], prefix: ["global"], withValue: ["--cwd"] },
  pnpm: { install: ["add", "install", "i", "dlx", "update", "up"], withValue: ["-C", "--dir", "--filter", "-F"] },
  bun: { install: ["add", "install", "i", "x"], withValue: ["--cwd"] },
  bunx: { install: [""] },
  pip: { install: ["install", "download"], withValue: PIP_VALUES },
  pip3: { install: ["install", "download"], withValue: PIP_VALUES },
  pipx: { install: ["install", "run", "inject"], withValue: ["--python", "--spec", "--index-url", "--pip-args"] },
  uv: { install: ["add", "install", "run"], prefix: ["pip", "tool"], withValue: [...PIP_VALUES, "--with", "-p", "--python", "--from"] },
  uvx: { install: [""], withValue: ["--from", "--with", "-p", "--python"] },
  poetry: { install: ["add"], withValue: ["-G", "--group", "--source"] },
  pipenv: { install: ["install"] },
  conda: { install: ["install"], withValue: ["-c", "--channel", "-n", "--name", "-p", "--prefix"] },
  mamba: { install: ["install"], withValue: ["-c", "--channel", "-n", "--name", "-p", "--prefix"] },
  cargo: { install: ["add", "install"], withValue: ["--git", "--branch", "--tag", "--rev", "--path", "--registry", "--version", "--vers", "--root", "-F", "--features", "-p", "--package"] },
  go: { install: ["get", "install"] },
  gem: { install: ["install"], withValue: ["-v", "--version", "-s", "--source", "-i", "--install-dir"] },
  bundle: { install: ["add", "install"], withValue: ["--version", "--source", "--group"] },
  apt: { install: ["install"], withValue: ["-t", "-o"] },
  "apt-get": { install: ["install"], withValue: ["-t", "-o"] },
  aptitude: { install: ["install"] },
  dnf: { install: ["install"] },
  yum: { install: ["install"] },
  apk: { install: ["add"], withValue: ["-X", "--repository"] },
  brew: { install: ["install", "reinstall", "upgrade"] },
  pacman: { install: ["-S", "-Sy", "-Syu", "-U"] },
  choco: { install: ["install"] },
  composer: { install: ["require", "install"] },
  deno: { install: ["add", "install"] },
  snap: { install: ["install"] },
  flatpak: { install: ["install"] },
  "nix-env": { install: ["-i", "-iA", "--install"] },
  dotnet: { install: ["add"], prefix: [] },
};

/** The install a command performs, or undefined. */
export function packageInstall(name: string, args: string[]): PackageInstall | undefined {
  // python -m pip install …
  if (/^python[0-9.]*$/.test(name) && args[0] === "-m" && (args[1] === "pip" || args[1] === "pip3")) return packageInstall("pip", args.slice(2));
  const m = MANAGERS[name];
  if (!m) return undefined;
  let i = 0;
  let sub = "";
  const skipOptions = () => {
    while (i < args.length && args[i].startsWith("-") && !m.install.includes(args[i])) {
      i += m.withValue?.includes(args[i]) ? 2 : 1;
    }
  };
  if (!m.install.includes("")) {
    skipOptions();
    while (i < args.length && m.prefix?.includes(args[i])) i++;
    if (name === "dotnet") {
      // dotnet add [project] package NAME
      const k = args.indexOf("package");
      if (args[0] !== "add" || k < 0) return undefined;
      return { manager: "dotnet", packages: args[k + 1] ? [args[k + 1]] : [] };
    }
    if (!m.install.includes(args[i])) return undefined;
    sub = args[i++];
  }
  // npx/uvx/dlx run the first package; what follows are its arguments
  const runner = m.install.includes("") || ["dlx", "x", "run", "exec"].includes(sub);
  const packages: string[] = [];
  let fromOption = false;
  for (; i < args.length; i++) {
    const a = args[i];
    if (a === "--") continue;
    if (a.startsWith("-")) {
      const [opt, value] = a.split("=", 2);
      // npx -p PKG, pip -e PATH, uvx --from PKG name the package itself
      const names = ["-p", "--package", "-e", "--editable", "--from", "--with", "--spec"];
      if (m.withValue?.includes(opt) || names.includes(opt)) {
        const v = value ?? args[++i];
        if (v !== undefined && names.includes(opt) && !(name === "uv" && opt === "-p")) {
          packages.push(v);
          fromOption = true;
        }
      }
      continue;
    }
    // `npx -p typescript tsc`: the word after the options is the command
    if (runner && fromOption) break;
    packages.push(a);
    if (runner) break;
  }
  return { manager: name === "pip3" ? "pip" : name, packages };
}
