import { onnx } from 'onnx-proto';

/**
 * IR version 8, the newest onnx-proto's schema knows, with the default-domain opset 17 (ONNX 1.12's pairing),
 * which every onnxruntime since 1.12 runs.
 */
const IR_VERSION = 8;
const OPSET = 17;
/** onnxruntime's own operators (QLinearAdd, QLinearGlobalAveragePool), version 1 of their domain. */
export const MICROSOFT = 'com.microsoft';

/** An attribute value: an integer, a list of integers or a string (all the ops used here need). */
export type Attribute = number | readonly number[] | string;
export type Attributes = Readonly<Record<string, Attribute>>;

/** A graph input or output dimension: a fixed size or a symbolic name shared by the dimensions that must agree. */
export type Dim = number | string;

const { AttributeType } = onnx.AttributeProto;
const { DataType } = onnx.TensorProto;

/**
 * Builds one ONNX graph with plain string value names. Each `op` returns the name of its (first) output, so a
 * model reads like the arithmetic it computes; constants are stored as initializers in little-endian raw form,
 * which is how every platform onnxruntime ships for lays out memory.
 */
export class GraphBuilder {
  private readonly nodes: onnx.INodeProto[] = [];
  private readonly initializers: onnx.ITensorProto[] = [];
  private readonly inputs: onnx.IValueInfoProto[] = [];
  private readonly outputs: onnx.IValueInfoProto[] = [];
  private readonly scalars = new Map<number, string>();
  private readonly names = new Set<string>();
  private readonly domains = new Set<string>();

  constructor(private readonly name: string) {}

  /** A float32 graph input. */
  input(name: string, dims: readonly Dim[]): string {
    this.inputs.push(valueInfo(this.claim(name), dims));
    return name;
  }

  /** Exposes `value` as the float32 graph output `name`. */
  output(name: string, value: string, dims: readonly Dim[]): void {
    this.nodes.push({ opType: 'Identity', input: [value], output: [this.claim(name)], name: `output_${name}` });
    this.outputs.push(valueInfo(name, dims));
  }

  op(opType: string, inputs: readonly string[], attributes: Attributes = {}, hint = opType, domain = ''): string {
    return this.opOutputs(opType, inputs, 1, attributes, hint, domain)[0];
  }

  /** An op with several outputs (e.g. MaxPool's values and indices). */
  opOutputs(opType: string, inputs: readonly string[], count: number, attributes: Attributes = {}, hint = opType, domain = ''): string[] {
    const output = Array.from({ length: count }, (_, i) => this.fresh(count === 1 ? hint : `${hint}_${i}`));
    if (domain) this.domains.add(domain);
    this.nodes.push({
      opType,
      ...(domain ? { domain } : {}),
      input: [...inputs],
      output,
      name: output[0],
      attribute: Object.entries(attributes).map(([n, v]) => attribute(n, v)),
    });
    return output;
  }

  floats(data: Float32Array, dims: readonly number[], hint = 'const'): string {
    return this.initializer(DataType.FLOAT, new Uint8Array(data.buffer, data.byteOffset, data.byteLength), dims, hint);
  }

  /** Unsigned 8-bit integers (quantized activations' zero points). */
  uint8s(data: Uint8Array, dims: readonly number[], hint = 'uint8'): string {
    return this.initializer(DataType.UINT8, data, dims, hint);
  }

  /** 8-bit integers (quantized weights). */
  int8s(data: Int8Array, dims: readonly number[], hint = 'int8'): string {
    return this.initializer(DataType.INT8, new Uint8Array(data.buffer, data.byteOffset, data.byteLength), dims, hint);
  }

  /** 32-bit integers (quantized biases). */
  int32s(data: Int32Array, dims: readonly number[], hint = 'int32'): string {
    return this.initializer(DataType.INT32, new Uint8Array(data.buffer, data.byteOffset, data.byteLength), dims, hint);
  }

  /** An int64 vector (shapes, axes, indices). */
  ints(values: readonly number[], hint = 'ints'): string {
    const data = BigInt64Array.from(values, BigInt);
    return this.initializer(DataType.INT64, new Uint8Array(data.buffer), [values.length], hint);
  }

  /** A float32 scalar, shared by every use of the same value. */
  scalar(value: number): string {
    let name = this.scalars.get(value);
    if (name === undefined) {
      name = this.floats(Float32Array.of(value), [], 'scalar');
      this.scalars.set(value, name);
    }
    return name;
  }

  /** The serialized model, ready for `InferenceSession.create`. */
  encode(): Uint8Array {
    const model = onnx.ModelProto.create({
      irVersion: IR_VERSION,
      opsetImport: [{ domain: '', version: OPSET }, ...[...this.domains].map((domain) => ({ domain, version: 1 }))],
      producerName: 'neural-style',
      graph: {
        name: this.name,
        node: this.nodes,
        initializer: this.initializers,
        input: this.inputs,
        output: this.outputs,
      },
    });
    return onnx.ModelProto.encode(model).finish();
  }

  private initializer(dataType: number, rawData: Uint8Array, dims: readonly number[], hint: string): string {
    const name = this.fresh(hint);
    this.initializers.push({ name, dataType, dims: [...dims], rawData });
    return name;
  }

  private fresh(hint: string): string {
    let name = hint;
    for (let i = 1; this.names.has(name); i++) name = `${hint}_${i}`;
    return this.claim(name);
  }

  private claim(name: string): string {
    if (this.names.has(name)) throw new Error(`ONNX value name "${name}" is used twice`);
    this.names.add(name);
    return name;
  }
}

function valueInfo(name: string, dims: readonly Dim[]): onnx.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType: DataType.FLOAT,
        shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}

function attribute(name: string, value: Attribute): onnx.IAttributeProto {
  if (typeof value === 'number') return { name, type: AttributeType.INT, i: value };
  if (typeof value === 'string') return { name, type: AttributeType.STRING, s: new TextEncoder().encode(value) };
  return { name, type: AttributeType.INTS, ints: [...value] };
}
