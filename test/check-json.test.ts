import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { json, type JsonParams } from "../src/checks/json.js";
import { locateJsonError } from "../src/checks/json-locate.js";
import type { CheckResult } from "../src/format/check-result.js";
import { loadLanguageServices, type LanguageServices } from "../src/lang/services.js";
import type { StopReason } from "../src/format/outputs.js";
import type { Probe } from "../src/format/suite.js";
import { makeProbe } from "./helpers.js";
import { scoreCheck } from "./check-harness.js";

let services: LanguageServices;
beforeAll(async () => {
  services = await loadLanguageServices([]);
});

function probe(): Probe {
  return makeProbe({
    suite: "test",
    id: "json",
    prompt: "東京の情報をJSONで答えてください。",
    category: "closed_qa",
    language: "ja",
    expected: [],
    checks: [{ type: "json" }],
  });
}

function check(output: string, params: JsonParams = {}, stopReason: StopReason | null = "eog"): CheckResult {
  return scoreCheck({ type: "json", ...params }, { output, stopReason }, services, { probe: probe() });
}

/** The check's run alone, with params the load hook already filled in (or, deliberately, did not): only the hook's own tests bypass the loader. */
function runLoaded(output: string, params: JsonParams): CheckResult {
  return json.run({ params, probe: probe(), output, stopReason: "eog", outputTokens: null, likelihood: null, judgement: null, services });
}

const CITY_SCHEMA = {
  type: "object",
  properties: {
    city: { type: "string" },
    population: { type: "integer", minimum: 0 },
    wards: { type: "array", items: { type: "string" } },
  },
  required: ["city", "population"],
  additionalProperties: false,
};

describe("finding the JSON", () => {
  it("the whole output", () => {
    const result = check('  {"city": "東京", "population": 14000000}\n');
    expect(result.pass).toBe(true);
    expect(result.score).toBe(1);
    expect(result.details.found_in).toBe("whole");
    expect(result.details.span).toEqual([2, 40]);
  });

  it("a ```json fence inside prose", () => {
    const output = '東京の情報です。\n```json\n{"city": "東京", "population": 14000000}\n```\n以上です。';
    const result = check(output, { schema: CITY_SCHEMA });
    expect(result.pass).toBe(true);
    expect(result.details.found_in).toBe("fence");
    expect(result.details.reason).toBe("valid JSON in a fenced block, matches the schema");
    const [start, end] = result.details.span as [number, number];
    expect(Array.from(output).slice(start, end).join("")).toBe('{"city": "東京", "population": 14000000}');
  });

  it("an untagged fence, and an unclosed one cut by the token limit", () => {
    expect(check('Here:\n```\n[1, 2, 3]\n```').details.found_in).toBe("fence");
    const cut = check('```json\n{"city": "東京", "wards": ["千代田区", "中央', {}, "max_tokens");
    expect(cut.pass).toBe(false);
    expect(cut.details.reason).toMatch(/^invalid JSON in the fenced block at line 2, column \d+: unterminated string \(output cut by max_tokens\)$/);
  });

  it("fences pair in order: a code block's closing fence opens nothing", () => {
    const output = 'Code:\n```python\nprint({"a": 1})\n```\nAnd the data:\n```json\n{"city": "東京", "population": 1}\n```';
    const result = check(output, { schema: CITY_SCHEMA });
    expect(result.pass).toBe(true);
    expect(result.details.found_in).toBe("fence");
    const noJson = check('```python\nx = 1\n```\nplain words', { extract: "fenced" });
    expect(noJson.pass).toBe(false);
    expect(noJson.details.tried).toBe("whole");
  });

  it("never passes on an object inside broken or truncated JSON", () => {
    const broken = check('Answer: {"a": {"b": 1}, }');
    expect(broken.pass).toBe(false);
    expect(broken.details.reason).toMatch(/^invalid JSON in the first \{\.\.\.\}\/\[\.\.\.\] at line 1, column 25/);
    const truncated = check('{"a": {"b": 1}, "c": [1, 2', {}, "max_tokens");
    expect(truncated.pass).toBe(false);
    expect(truncated.details.reason).toBe('invalid JSON at line 1, column 27: expected "," or "]", found end of input (output cut by max_tokens)');
    expect(check('```json\n{"a": {"b": 1},}\n```').details.tried).toBe("fence");
  });

  it("the first balanced {...} that parses, unless extract is stricter", () => {
    const output = 'I think [this] is it: {"city": "東京", "population": 1} — done.';
    const result = check(output);
    expect(result.pass).toBe(true);
    expect(result.details.found_in).toBe("embedded");
    expect(check(output, { extract: "fenced" }).pass).toBe(false);
    expect(check(output, { extract: "whole" }).pass).toBe(false);
  });
});

describe("invalid JSON is reported with its position", () => {
  it("a trailing comma", () => {
    const result = check('{\n  "city": "東京",\n}');
    expect(result.pass).toBe(false);
    expect(result.score).toBe(0);
    expect(result.details.parse_error).toEqual({
      message: 'expected a property name (string) after ",", found "}"',
      position: 18,
      line: 3,
      column: 1,
    });
    expect(result.details.reason).toBe('invalid JSON at line 3, column 1: expected a property name (string) after ",", found "}"');
    expect(result.details.highlights).toEqual([{ start: 18, end: 19, label: 'JSON error: expected a property name (string) after ",", found "}"' }]);
  });

  it("positions are code points (𠮷 is one)", () => {
    const result = check('{"name": "𠮷野家" "x": 1}');
    expect(result.details.parse_error).toMatchObject({ position: 15, line: 1, column: 16 });
  });

  it("single quotes, bare words, empty output", () => {
    expect(check("{'a': 1}").details.parse_error).toMatchObject({ position: 1 });
    expect(check("はい、わかりました。").details.reason).toBe('invalid JSON at line 1, column 1: expected a value, found "は"');
    expect(check("").details.reason).toBe("no JSON: the output is empty");
  });

  it("the syntax locator agrees with JSON.parse", () => {
    const samples = ['{"a":1}', "[1,2,]", '{"a" 1}', "01", "-", "1.", '"\\x"', '"a\u0001"', "[[[[]]]]", "{} {}", "tru", '{"a":[1,{"b":null}]}', "1e5", "[1 2]"];
    for (const sample of samples) {
      let valid = true;
      try {
        JSON.parse(sample);
      } catch {
        valid = false;
      }
      expect(locateJsonError(sample) === null, sample).toBe(valid);
    }
    expect(locateJsonError("[".repeat(100_000))?.message).toBe("expected a value, found end of input");
  });

  it("faults inside a string or number are placed on the character at fault", () => {
    expect(locateJsonError('{"a": "x\\qy"}')).toEqual({ at: 8, message: "bad escape \\q" });
    expect(locateJsonError('["\\\\q", "x\u0001"]')).toEqual({ at: 10, message: "control character in string (escape it)" });
    expect(locateJsonError('["\\u12G4"]')).toEqual({ at: 2, message: "bad \\u escape: four hex digits expected" });
    expect(locateJsonError('{"a": "line\nbreak"}')).toEqual({ at: 11, message: "control character in string (escape it)" });
    expect(locateJsonError('{"a": 1.}')).toEqual({ at: 7, message: 'bad number: unexpected "."' });
    expect(locateJsonError('{"a": 1 // note\n}')).toEqual({ at: 8, message: 'expected "," or "}", found "/"' });
    // The grammar comes first: a malformed string where a ":" belongs is a missing ":".
    expect(locateJsonError('{"a" "\\q"}')?.message).toBe('expected ":" after the property name, found """');
  });

  it("a fault deep inside 50,000 levels of nesting", () => {
    const text = "[".repeat(50_000) + '"\\x"' + "]".repeat(50_000);
    expect(locateJsonError(text)).toEqual({ at: 50_001, message: "bad escape \\x" });
  });
});

describe("schema validation", () => {
  it("lists failing instance paths with messages", () => {
    const result = check('{"city": 13, "population": -5, "wards": ["千代田区", 7], "mayor": "x"}', { schema: CITY_SCHEMA });
    expect(result.pass).toBe(false);
    expect(result.details.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: "/city", message: "must be string", keyword: "type" }),
        expect.objectContaining({ path: "/population", message: "must be >= 0", keyword: "minimum" }),
        expect.objectContaining({ path: "/wards/1", message: "must be string", keyword: "type" }),
        expect.objectContaining({ path: "", message: 'unknown property "mayor"', keyword: "additionalProperties" }),
      ]),
    );
    expect(result.details.error_count).toBe(4);
    expect(result.details.reason).toMatch(/^JSON in the whole output does not match the schema: .+ \(and 3 more\)$/);
  });

  it("a missing required property", () => {
    const result = check('{"city": "大阪"}', { schema: CITY_SCHEMA });
    expect(result.details.errors).toEqual([expect.objectContaining({ path: "", message: 'missing required property "population"' })]);
    expect(result.details.reason).toBe('JSON in the whole output does not match the schema: (root) missing required property "population"');
  });

  it("2020-12 schemas, formats and enums", () => {
    const schema = {
      $schema: "https://json-schema.org/draft/2020-12/schema",
      type: "object",
      properties: { date: { type: "string", format: "date" }, answer: { enum: ["yes", "no"] }, pair: { prefixItems: [{ type: "integer" }] } },
    };
    expect(check('{"date": "2024-02-30x", "answer": "maybe"}', { schema }).details.errors).toEqual([
      expect.objectContaining({ path: "/date", keyword: "format" }),
      expect.objectContaining({ path: "/answer", message: 'must be one of "yes", "no"' }),
    ]);
    expect(check('{"date": "2024-02-03", "answer": "yes", "pair": [1]}', { schema }).pass).toBe(true);
  });

  it("formats are ajv-formats': real calendar dates, hostnames, IPv6; IRI and IDN formats pass unchecked", () => {
    const schema = {
      type: "object",
      properties: { date: { format: "date" }, host: { format: "hostname" }, ip: { format: "ipv6" }, link: { format: "iri" }, mail: { format: "idn-email" } },
    };
    expect(json.validate?.({ schema }, probe())).toBeNull();
    expect(check('{"date": "2024-02-29", "host": "example.jp", "ip": "::1", "link": "https://例え.jp/", "mail": "花子@例え.jp"}', { schema }).pass).toBe(true);
    const wrong = check('{"date": "2023-02-29", "host": "-bad-.example", "ip": "1:2:3"}', { schema });
    expect((wrong.details.errors as Array<{ path: string }>).map((error) => error.path)).toEqual(["/date", "/host", "/ip"]);
  });

  it("a bad schema is rejected when the suite is validated", () => {
    expect(json.validate?.({ schema: { type: "object", requried: ["a"] } }, probe())).toMatch(/invalid JSON Schema: strict mode: unknown keyword: "requried"/);
    expect(json.validate?.({ schema: { $schema: "http://json-schema.org/draft-04/schema#" } }, probe())).toMatch(/unsupported \$schema/);
    expect(json.validate?.({ schema: CITY_SCHEMA }, probe())).toBeNull();
  });

  it("without a schema, any valid JSON passes", () => {
    expect(check("[]").pass).toBe(true);
    expect(check("42").pass).toBe(true);
    expect(check('"東京"').details.reason).toBe("valid JSON in the whole output");
  });
});

describe("schema_file via the load hook", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "bonsai-json-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const suiteFile = path.join(dir, "suites", "ja.yaml");
  mkdirSync(path.dirname(suiteFile));

  it("reads the file relative to the suite and inlines it", () => {
    writeFileSync(path.join(dir, "city.schema.json"), JSON.stringify(CITY_SCHEMA));
    const params = json.load?.({ schema_file: "../city.schema.json" }, { suiteFile }) as JsonParams;
    expect(params.schema).toEqual(CITY_SCHEMA);
    expect(json.validate?.(params, probe())).toBeNull();
    const result = runLoaded('{"city": "東京"}', params);
    expect(result.pass).toBe(false);
    expect(result.details.reason).toBe('JSON in the whole output does not match schema_file "../city.schema.json": (root) missing required property "population"');
    expect(result.details.schema_file).toBe("../city.schema.json");
  });

  it("YAML schema files", () => {
    writeFileSync(path.join(dir, "suites", "answer.yaml"), "type: object\nrequired: [answer]\n");
    const params = json.load?.({ schema_file: "answer.yaml" }, { suiteFile }) as JsonParams;
    expect(params.schema).toEqual({ type: "object", required: ["answer"] });
  });

  it("says what is wrong with a missing or broken file", () => {
    expect(() => json.load?.({ schema_file: "missing.json" }, { suiteFile })).toThrow('cannot read schema_file "missing.json" (ENOENT)');
    writeFileSync(path.join(dir, "broken.json"), '{\n  "type": "object",\n}');
    expect(() => json.load?.({ schema_file: "../broken.json" }, { suiteFile })).toThrow(
      'schema_file "../broken.json" is not valid JSON at line 3, column 1: expected a property name (string) after ",", found "}"',
    );
    expect(() => json.load?.({ schema_file: "../city.schema.json", schema: {} }, { suiteFile })).toThrow("set schema or schema_file, not both");
    expect(runLoaded("{}", { schema_file: "x.json" }).details.reason).toMatch(/was not loaded/);
  });
});
