/** What a report records about the model file, the hardware and the runtime of a run: facts the runner measures and the report keeps. */

export interface ModelMetadata {
  name: string | null;
  architecture: string | null;
  /** llama.cpp file type name, e.g. MOSTLY_Q4_K_M, ALL_F32. */
  quantization: string | null;
  parameter_count: number | null;
  size_label: string | null;
  context_length: number | null;
  chat_template: string | null;
  tokenizer_model: string | null;
  vocab_size: number | null;
  block_count: number | null;
  embedding_length: number | null;
}

export interface ModelFile {
  path: string;
  file_name: string;
  size_bytes: number;
  sha256: string;
  metadata: ModelMetadata;
}

export interface HardwareInfo {
  gpu: string | false;
  /** Why the run is not where it was asked to be (e.g. `--gpu auto` found no GPU); null otherwise. */
  gpu_note: string | null;
  gpu_devices: string[];
  vram_total_bytes: number | null;
  /** VRAM in use after the last context was created (model + contexts); null on CPU. */
  vram_used_bytes: number | null;
  /**
   * BONSAI_VRAM_BUDGET_BYTES: the VRAM this run may use in all, set to exercise the fit on a large GPU
   * (npm run check:gpu); contexts are fitted into it instead of the free VRAM. null: no budget.
   */
  vram_budget_bytes: number | null;
  /** Model layers offloaded to the GPU (all of them when they fit). */
  model_gpu_layers: number;
  /** Loads that ran out of memory before one fit, with the layers tried. */
  model_load_retries: Array<{ gpu_layers: number | "auto"; error: string }>;
  /** Every context created: the parallelism asked for, what fit, and any retries after running out of memory. */
  contexts: ContextFit[];
  cpu_model: string;
  cpu_cores: number;
  memory_bytes: number;
  threads: number;
  threads_reason: string;
}

export interface ContextFit {
  requested_sequences: number;
  sequences: number;
  context_size: number;
  /** node-llama-cpp's estimate of the context's VRAM for the chosen sequences; null on CPU. */
  estimated_vram_bytes: number | null;
  /** Smaller attempts after a context did not fit, with the error. */
  retries: Array<{ sequences: number; error: string }>;
}

export interface RuntimeInfo {
  node: string;
  node_llama_cpp: string;
  llama_cpp: string;
  platform: string;
  arch: string;
}

export interface ParallelChoice {
  /** "auto", the fixed number asked for, or null (the default). */
  requested: "auto" | number | null;
  sequences: number;
  reason: string;
  /** CPU: each step of the ramp, in order; empty otherwise. */
  ramp: Array<{ sequences: number; generated_tokens: number; ms: number; tokens_per_second: number }>;
}
