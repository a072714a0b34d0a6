/**
 * The repository stands on its own: every relative link and every cited repository path resolves
 * inside it, and nothing points to the shared folder outside it.
 *
 * - Markdown (every `.md` file): relative links (with their `#anchor`, checked against the target's
 *   headings as GitHub slugs them) and code spans that name a repository path (`components/…`,
 *   `docs/…`, `index.ts`, …) must exist. Links and code spans are read with `marked`'s lexer, so
 *   code blocks are skipped like GitHub skips them.
 * - Code (`.ts`, `.sh`, `.yml`, `.mjs`, `.json` files, comments and strings alike): every `docs/…`
 *   path, every `../…` path that names a file (has an extension) or a module (in an import or
 *   `require`, resolved with `.ts` or `/index.ts`), and every `*.md` name must exist. (A `../` value
 *   without an extension outside an import is test data, e.g. a path config validation refuses.)
 * - No file mentions the shared folder beside the repository (`..` + `/shared`).
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { slug } from "github-slugger";
import { marked, type Token, type Tokens } from "marked";
import { PROJECT_DIR } from "../helpers/preview";

const SKIP_DIRS = new Set(["node_modules", ".git", ".tools", "bin"]);
const CODE_EXTENSIONS = [".ts", ".sh", ".yml", ".yaml", ".mjs", ".json"];
/** Top-level folders and files whose paths docs cite. */
const REPO_PATH = /^(\.\/)?((components|config|policies|tools|tests|docs|scripts|\.ci|\.github)\/[^\s<>*…{}|]*|index\.ts|package\.json|tsconfig\.json|README\.md|Pulumi(\.(dev|prod))?\.yaml)$/;

/** Every file of the repository (no dependencies, no build output), relative to the root. */
function repositoryFiles(dir = PROJECT_DIR): string[] {
    const out: string[] = [];
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        if (SKIP_DIRS.has(entry.name)) continue;
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) out.push(...repositoryFiles(full));
        else out.push(path.relative(PROJECT_DIR, full));
    }
    return out;
}

/** The GitHub anchors of a markdown file's headings. */
function anchorsOf(file: string): Set<string> {
    const anchors = new Set<string>();
    const seen = new Map<string, number>();
    void marked.walkTokens(marked.lexer(fs.readFileSync(file, "utf8")), (t: Token) => {
        if (t.type === "heading") {
            const base = slug((t as Tokens.Heading).text);
            const n = seen.get(base) ?? 0;
            seen.set(base, n + 1);
            anchors.add(n === 0 ? base : `${base}-${n}`);
        }
    });
    return anchors;
}

/** Why a relative link target does not resolve, or undefined when it does. */
function brokenLink(fromFile: string, href: string): string | undefined {
    const [target, anchor] = href.split("#", 2);
    const resolved = target === "" ? path.join(PROJECT_DIR, fromFile) : path.resolve(PROJECT_DIR, path.dirname(fromFile), decodeURIComponent(target));
    if (!resolved.startsWith(PROJECT_DIR + path.sep) && resolved !== PROJECT_DIR) return "points outside the repository";
    if (!fs.existsSync(resolved)) return "no such file";
    if (anchor && resolved.endsWith(".md") && !anchorsOf(resolved).has(anchor)) return `no heading with anchor #${anchor}`;
    return undefined;
}

const files = repositoryFiles();
const markdownFiles = files.filter((f) => f.endsWith(".md"));
const codeFiles = files.filter((f) => CODE_EXTENSIONS.includes(path.extname(f)) && f !== "package-lock.json");

describe("the repository stands on its own", () => {
    it("finds the markdown and code files it checks", () => {
        assert.ok(markdownFiles.includes("README.md") && markdownFiles.includes(path.join("docs", "architecture.md")));
        assert.ok(codeFiles.includes("index.ts"));
    });

    it("no file mentions the shared folder outside the repository", () => {
        const needle = [".." + "/shared", "/work/" + "shared"];
        const hits = files.filter((f) => !/\.(png|jpg|gz)$/.test(f)).filter((f) => needle.some((n) => fs.readFileSync(path.join(PROJECT_DIR, f), "utf8").includes(n)));
        assert.deepEqual(hits, []);
    });

    it("every relative link and cited path in the markdown files resolves", () => {
        const broken: string[] = [];
        for (const file of markdownFiles) {
            void marked.walkTokens(marked.lexer(fs.readFileSync(path.join(PROJECT_DIR, file), "utf8")), (t: Token) => {
                if (t.type === "link" || t.type === "image") {
                    const href = (t as Tokens.Link | Tokens.Image).href;
                    if (!/^[a-z][a-z0-9+.-]*:/i.test(href)) {
                        const why = brokenLink(file, href);
                        if (why) broken.push(`${file}: link ${href}: ${why}`);
                    }
                }
                if (t.type === "codespan") {
                    const text = (t as Tokens.Codespan).text.replace(/&#39;|&quot;/g, "");
                    if (REPO_PATH.test(text) && !fs.existsSync(path.join(PROJECT_DIR, text))) {
                        broken.push(`${file}: cited path \`${text}\`: no such file`);
                    }
                }
            });
        }
        assert.deepEqual(broken, []);
    });

    it("every docs/…, ../… and *.md path cited in code resolves", () => {
        const broken: string[] = [];
        const resolves = (candidates: string[]) => candidates.some((c) => fs.existsSync(c));
        for (const file of codeFiles) {
            const text = fs.readFileSync(path.join(PROJECT_DIR, file), "utf8");
            const dir = path.join(PROJECT_DIR, path.dirname(file));
            for (const m of text.matchAll(/(?<![\w./@-])docs\/[\w./-]*[\w-]/g)) {
                if (!resolves([path.join(PROJECT_DIR, m[0])])) broken.push(`${file}: ${m[0]}`);
            }
            // ../ paths that cite a file (with an extension) or name a module (import, require)
            for (const m of text.matchAll(/(?<![\w./@-])(\.\.\/)+[\w./-]*[\w-]/g)) {
                const before = text.slice(Math.max(0, (m.index ?? 0) - 12), m.index);
                if (!/\.[a-z]{1,5}$/.test(m[0]) && !/(from |require\(|import\(|import )["']$/.test(before)) continue;
                const p = path.resolve(dir, m[0]);
                if (!resolves([p, `${p}.ts`, path.join(p, "index.ts")])) broken.push(`${file}: ${m[0]}`);
            }
            for (const m of text.matchAll(/(?<![\w./@:-])[\w-]+(\/[\w.-]+)*\.md\b/g)) {
                if (m[0].startsWith("docs/")) continue; // checked above
                if (!resolves([path.join(PROJECT_DIR, m[0]), path.join(dir, m[0]), path.join(PROJECT_DIR, "docs", m[0])])) broken.push(`${file}: ${m[0]}`);
            }
        }
        assert.deepEqual(broken, []);
    });
});
