/**
 * The operator commands (`npm run verify:access`, `backfill:replication`, `restore`,
 * `preview:offline`, and any later tools/*.ts entry point such as `adopt:preflight`) run on a lab or
 * operator machine where `npm ci --omit=dev` may have left out devDependencies: every package they
 * import at run time must be in `dependencies` of the package.json that governs the importing file
 * (the root one, or the policy pack's `policies/package.json` for files under policies/).
 *
 * The import graph is built with TypeScript's own parser and module resolution
 * (`ts.resolveModuleName` with the project's tsconfig.json), starting from every tools/*.ts file
 * and following relative imports through the project; `import type` / `export type` are erased at
 * run time and not counted; Node built-ins are skipped.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import { builtinModules } from "node:module";
import * as path from "node:path";
import * as ts from "typescript";
import { PROJECT_DIR } from "../helpers/preview";

/** Runtime module specifiers of a source file (type-only imports and exports left out). */
function runtimeImports(file: string): string[] {
    const source = ts.createSourceFile(file, fs.readFileSync(file, "utf8"), ts.ScriptTarget.ES2022, true);
    const specifiers: string[] = [];
    const visit = (node: ts.Node): void => {
        if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier) && !node.importClause?.isTypeOnly) {
            specifiers.push(node.moduleSpecifier.text);
        } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier) && !node.isTypeOnly) {
            specifiers.push(node.moduleSpecifier.text);
        } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference) && ts.isStringLiteral(node.moduleReference.expression)) {
            specifiers.push(node.moduleReference.expression.text);
        } else if (
            ts.isCallExpression(node) &&
            (node.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(node.expression) && node.expression.text === "require")) &&
            node.arguments.length === 1 &&
            ts.isStringLiteral(node.arguments[0])
        ) {
            specifiers.push(node.arguments[0].text);
        }
        ts.forEachChild(node, visit);
    };
    visit(source);
    return specifiers;
}

/** The package name of a bare specifier (`@scope/name/sub` → `@scope/name`). */
function packageName(specifier: string): string {
    const parts = specifier.split("/");
    return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
}

/** The nearest package.json above a file (inside the project). */
function governingPackageJson(file: string): string {
    let dir = path.dirname(file);
    while (!fs.existsSync(path.join(dir, "package.json"))) dir = path.dirname(dir);
    return path.join(dir, "package.json");
}

interface Finding {
    readonly importer: string;
    readonly specifier: string;
    readonly pkg: string;
    readonly manifest: string;
}

/** Walks the runtime import graph from the entry points; returns every package import that is not a dependency of its manifest. */
function undeclaredRuntimeImports(entries: readonly string[]): { visited: Set<string>; findings: Finding[]; packages: Set<string> } {
    const parsed = ts.getParsedCommandLineOfConfigFile(path.join(PROJECT_DIR, "tsconfig.json"), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
    const options = parsed?.options ?? {};
    const builtins = new Set(builtinModules);
    const visited = new Set<string>();
    const findings: Finding[] = [];
    const packages = new Set<string>();
    const queue = [...entries];
    while (queue.length > 0) {
        const file = queue.pop() as string;
        if (visited.has(file)) continue;
        visited.add(file);
        const manifestPath = governingPackageJson(file);
        const manifest = JSON.parse(fs.readFileSync(manifestPath, "utf8")) as { dependencies?: Record<string, string> };
        for (const specifier of runtimeImports(file)) {
            if (specifier.startsWith("node:") || builtins.has(specifier)) continue;
            const resolved = ts.resolveModuleName(specifier, file, options, ts.sys).resolvedModule;
            if (!specifier.startsWith(".") && !specifier.startsWith("/")) {
                const pkg = packageName(specifier);
                packages.add(pkg);
                if (!(pkg in (manifest.dependencies ?? {}))) {
                    findings.push({ importer: path.relative(PROJECT_DIR, file), specifier, pkg, manifest: path.relative(PROJECT_DIR, manifestPath) });
                }
                continue;
            }
            assert.ok(resolved, `${path.relative(PROJECT_DIR, file)} imports ${specifier}, which TypeScript cannot resolve`);
            if (!resolved.isExternalLibraryImport && /\.tsx?$/.test(resolved.resolvedFileName) && !resolved.resolvedFileName.endsWith(".d.ts")) {
                queue.push(path.resolve(resolved.resolvedFileName));
            }
        }
    }
    return { visited, findings, packages };
}

describe("operator commands import only packages in dependencies", () => {
    const entries = fs
        .readdirSync(path.join(PROJECT_DIR, "tools"))
        .filter((f) => f.endsWith(".ts"))
        .map((f) => path.join(PROJECT_DIR, "tools", f));

    it("every package reachable from tools/*.ts at run time is in dependencies of its package.json", () => {
        const { visited, findings, packages } = undeclaredRuntimeImports(entries);
        // The walk really follows the graph: the restore command reaches its AWS client and the
        // config modules; verify:access reaches the IAM client.
        assert.ok([...visited].some((f) => f.endsWith(path.join("tools", "restore", "run.ts"))));
        assert.ok([...visited].some((f) => f.endsWith(path.join("config", "access.ts"))));
        for (const pkg of ["@aws-sdk/client-s3", "@aws-sdk/client-iam", "@aws-sdk/client-s3-control", "zod", "yaml"]) {
            assert.ok(packages.has(pkg), `the walk finds ${pkg}`);
        }
        assert.deepEqual(
            findings.map((f) => `${f.importer} imports ${f.specifier}: add ${f.pkg} to "dependencies" of ${f.manifest}`),
            [],
        );
    });

    it("would report a devDependency import (the check can fail)", () => {
        const { findings } = undeclaredRuntimeImports([path.join(PROJECT_DIR, "tests", "tools", "dependencies.test.ts")]);
        assert.ok(findings.some((f) => f.pkg === "typescript"), "typescript is a devDependency imported by this test");
    });
});
