/**
 * A suite's `data`: read the file, keep the records `where` selects, map them
 * to probes, sample and limit, and check each probe against the probe schema.
 * Every problem names the data file's line (JSONL, CSV, TSV) or JSON path and
 * the field; the probes then go through the suite loader like YAML probes.
 */
import path from "node:path";
import { InputError, InputErrors } from "../../errors.js";
import { PROBE_SCHEMA } from "../../format/suite-schema.js";
import type { CheckSpecInput, DataSourceInfo, DataSpec, ProbeSpec, SuiteDefaults } from "../../format/suite.js";
import { createAjv } from "../../util/ajv.js";
import { sha256 } from "../../util/json.js";
import { schemaErrors, type Locator } from "../../util/yaml-source.js";
import { BUILTIN_MAPPINGS } from "./builtins.js";
import { mapRecords } from "./mapping.js";
import { formatOfFile, readDataFile } from "./read.js";
import { sampleAndLimit, unknownWhereFields, whereMatches } from "./select.js";
import { DataLocator } from "./source.js";
import { parseFieldTemplate, type FieldTemplate } from "./template.js";

const validateProbe = createAjv().compile(PROBE_SCHEMA);

export interface LoadedData {
  /** The selected records as probes, in the file's order. */
  probes: ProbeSpec[];
  /** Places `probes[first + i]` at record i of the data file, and everything else in the suite YAML. */
  locator: Locator;
  info: DataSourceInfo;
  /** The built-in layout's checks by category (the suite's own replace them category by category). */
  checksByCategory: Record<string, CheckSpecInput[]>;
  /** Records that could not become probes (the others are in `probes`, so their problems are found in the same pass). */
  problems: InputError[];
}

/**
 * Loads the records of `data` as probes numbered from `first`. A problem with
 * the suite's `data` keys or the file as a whole throws; bad records are
 * returned as problems beside the probes the other records make.
 */
export function loadDataProbes(data: DataSpec, defaults: SuiteDefaults, yaml: Locator, first: number): LoadedData {
  const builtin = data.mapping ? BUILTIN_MAPPINGS[data.mapping] : null;
  const spec: DataSpec = { ...builtin?.spec, ...data };
  const file = path.resolve(path.dirname(yaml.file), data.file);
  const format = data.format ?? builtin?.format ?? formatOfFile(file);
  if (!format) throw yaml.error(`cannot tell the format of ${data.file} from its extension; set data.format (jsonl, json, csv, tsv, squad)`, ["data", "file"]);
  const prompt = templateOf(spec.prompt, data.prompt !== undefined ? ["data", "prompt"] : ["data", "mapping"], yaml);
  if (prompt === null) throw yaml.error("data needs a prompt template (data.prompt) or a built-in layout (data.mapping)", ["data"]);
  const system = templateOf(spec.system, ["data", "system"], yaml);

  const dataFile = readDataFile(file, format, data.records);
  const selection = data.select ?? {};
  const unknown = unknownWhereFields(dataFile.records, selection.where);
  if (unknown.length > 0) {
    throw new InputErrors(unknown.map((field) => yaml.error(`no record of ${data.file} has the field "${field}"`, ["data", "select", "where", field], true)));
  }
  const matching = whereMatches(dataFile.records, selection.where);
  const { mapped, problems } = mapRecords(matching, { spec, prompt, system, builtin, defaults });
  const candidates = mapped.map(({ probe }) => ({ id: probe.id, category: probe.category ?? defaults.category ?? "" }));
  const selected = sampleAndLimit(candidates, selection).map((index) => mapped[index]!);
  if (selected.length === 0 && problems.length === 0) {
    const why = dataFile.records.length === 0 ? `${data.file} holds no records` : `no record of ${data.file} matches data.select.where`;
    throw yaml.error(`the selection is empty: ${why}`, data.select ? ["data", "select"] : ["data"]);
  }

  const errors = problems.map(({ record, field, message }) => new InputError(message, dataFile.locate(record, field)));
  const checked = new DataLocator(yaml, dataFile, first, selected);
  const valid = selected.filter(({ probe }, index) => {
    if (validateProbe(probe)) return true;
    errors.push(...schemaErrors(validateProbe.errors, checked, { at: ["probes", first + index] }));
    return false;
  });
  const locator = valid.length === selected.length ? checked : new DataLocator(yaml, dataFile, first, valid);

  return {
    probes: valid.map(({ probe }) => probe),
    locator,
    checksByCategory: builtin?.checksByCategory ?? {},
    problems: errors,
    info: {
      path: file,
      format,
      mapping: data.mapping ?? null,
      sha256: dataFile.sha256,
      records: dataFile.records.length,
      selected: selected.length,
      selection: {
        where: selection.where ?? null,
        sample: selection.sample ?? null,
        seed: selection.seed ?? 0,
        stratified: selection.stratified ?? false,
        limit: selection.limit ?? null,
      },
      selection_sha256: sha256(selected.map(({ probe }) => probe.id).join("\n")),
    },
  };
}

function templateOf(source: string | undefined, at: ["data", string], yaml: Locator): FieldTemplate | null {
  if (source === undefined) return null;
  const parsed = parseFieldTemplate(source);
  if (typeof parsed === "string") throw yaml.error(parsed, at);
  return parsed;
}
