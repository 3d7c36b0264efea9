// Minimal protobuf encoder for the subset of onnx.proto (ModelProto) the fixture needs.
// Field numbers follow https://github.com/onnx/onnx/blob/main/onnx/onnx.proto.
// Only encoding is implemented; output is deterministic (fields written in a fixed order).

/** TensorProto.DataType values used here. */
export const DataType = { FLOAT: 1, UINT8: 2, INT32: 6, INT64: 7, BOOL: 9 } as const;
export type DataType = (typeof DataType)[keyof typeof DataType];

/** A constant tensor (stored as raw little-endian bytes). */
export interface TensorDef {
  name: string;
  dataType: DataType;
  dims: number[];
  raw: Uint8Array;
}

/** Attribute values; the kind selects the AttributeProto field and type enum. */
export type AttrValue =
  | { kind: "int"; value: number }
  | { kind: "float"; value: number }
  | { kind: "string"; value: string }
  | { kind: "ints"; value: number[] }
  | { kind: "floats"; value: number[] }
  | { kind: "tensor"; value: TensorDef };

export interface NodeDef {
  opType: string;
  inputs: string[];
  outputs: string[];
  name?: string;
  attrs?: Record<string, AttrValue>;
}

/** Graph input/output: element type plus a shape of fixed sizes or symbolic names. */
export interface ValueInfoDef {
  name: string;
  elemType: DataType;
  shape: (number | string)[];
}

export interface GraphDef {
  name: string;
  nodes: NodeDef[];
  initializers: TensorDef[];
  inputs: ValueInfoDef[];
  outputs: ValueInfoDef[];
  docString?: string;
}

export interface ModelDef {
  irVersion: number;
  opsetVersion: number;
  producerName: string;
  producerVersion: string;
  graph: GraphDef;
  docString?: string;
}

const enc = new TextEncoder();

/** Append-only protobuf writer. Nested messages are encoded separately and length-prefixed. */
class Writer {
  private parts: number[] = [];
  private chunks: Uint8Array[] = [];

  private flush(): void {
    if (this.parts.length) this.chunks.push(Uint8Array.from(this.parts));
    this.parts = [];
  }

  /** Varint of a 64-bit value; negatives use two's complement (10 bytes), as protobuf int64 does. */
  rawVarint(v: number | bigint): void {
    let x = BigInt.asUintN(64, BigInt(v));
    while (x >= 0x80n) {
      this.parts.push(Number(x & 0x7fn) | 0x80);
      x >>= 7n;
    }
    this.parts.push(Number(x));
  }

  private tag(field: number, wire: 0 | 2 | 5): void {
    this.rawVarint((field << 3) | wire);
  }

  varint(field: number, v: number | bigint): void {
    this.tag(field, 0);
    this.rawVarint(v);
  }

  float(field: number, v: number): void {
    this.tag(field, 5);
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, v, true);
    this.parts.push(...b);
  }

  bytes(field: number, data: Uint8Array): void {
    this.tag(field, 2);
    this.rawVarint(data.length);
    this.flush();
    this.chunks.push(data);
  }

  string(field: number, s: string): void {
    this.bytes(field, enc.encode(s));
  }

  message(field: number, build: (w: Writer) => void): void {
    const sub = new Writer();
    build(sub);
    this.bytes(field, sub.finish());
  }

  /** Packed repeated varints (used for int64 lists). */
  packedVarints(field: number, values: number[]): void {
    const sub = new Writer();
    for (const v of values) sub.rawVarint(v);
    this.bytes(field, sub.finish());
  }

  finish(): Uint8Array {
    this.flush();
    const total = this.chunks.reduce((n, c) => n + c.length, 0);
    const out = new Uint8Array(total);
    let off = 0;
    for (const c of this.chunks) {
      out.set(c, off);
      off += c.length;
    }
    return out;
  }
}

function writeTensor(w: Writer, t: TensorDef): void {
  w.packedVarints(1, t.dims); // dims
  w.varint(2, t.dataType); // data_type
  w.string(8, t.name); // name
  w.bytes(9, t.raw); // raw_data
}

const ATTR_TYPE = { float: 1, int: 2, string: 3, tensor: 4, floats: 6, ints: 7 } as const;

function writeAttr(w: Writer, name: string, a: AttrValue): void {
  w.string(1, name);
  switch (a.kind) {
    case "float":
      w.float(2, a.value);
      break;
    case "int":
      w.varint(3, a.value);
      break;
    case "string":
      w.string(4, a.value);
      break;
    case "tensor":
      w.message(5, (s) => writeTensor(s, a.value));
      break;
    case "floats":
      for (const f of a.value) w.float(7, f);
      break;
    case "ints":
      w.packedVarints(8, a.value);
      break;
  }
  w.varint(20, ATTR_TYPE[a.kind]); // type
}

function writeNode(w: Writer, n: NodeDef): void {
  for (const i of n.inputs) w.string(1, i);
  for (const o of n.outputs) w.string(2, o);
  if (n.name) w.string(3, n.name);
  w.string(4, n.opType);
  for (const [k, v] of Object.entries(n.attrs ?? {})) w.message(5, (s) => writeAttr(s, k, v));
}

function writeValueInfo(w: Writer, v: ValueInfoDef): void {
  w.string(1, v.name);
  // TypeProto { tensor_type(1): { elem_type(1), shape(2): { dim(1): { dim_value(1) | dim_param(2) } } } }
  w.message(2, (tp) =>
    tp.message(1, (tt) => {
      tt.varint(1, v.elemType);
      tt.message(2, (shape) => {
        for (const d of v.shape) {
          shape.message(1, (dim) => (typeof d === "number" ? dim.varint(1, d) : dim.string(2, d)));
        }
      });
    }),
  );
}

function writeGraph(w: Writer, g: GraphDef): void {
  for (const n of g.nodes) w.message(1, (s) => writeNode(s, n));
  w.string(2, g.name);
  for (const t of g.initializers) w.message(5, (s) => writeTensor(s, t));
  if (g.docString) w.string(10, g.docString);
  for (const i of g.inputs) w.message(11, (s) => writeValueInfo(s, i));
  for (const o of g.outputs) w.message(12, (s) => writeValueInfo(s, o));
}

/** Serialise a ModelProto. */
export function encodeModel(m: ModelDef): Uint8Array {
  const w = new Writer();
  w.varint(1, m.irVersion);
  w.string(2, m.producerName);
  w.string(3, m.producerVersion);
  if (m.docString) w.string(6, m.docString);
  w.message(7, (s) => writeGraph(s, m.graph));
  w.message(8, (s) => {
    s.string(1, ""); // default (ai.onnx) domain
    s.varint(2, m.opsetVersion);
  });
  return w.finish();
}

/** Raw little-endian bytes helpers for TensorDef.raw. */
export function rawF32(values: number[]): Uint8Array {
  const out = new Uint8Array(values.length * 4);
  const dv = new DataView(out.buffer);
  values.forEach((v, i) => dv.setFloat32(i * 4, v, true));
  return out;
}
export function rawI64(values: number[]): Uint8Array {
  const out = new Uint8Array(values.length * 8);
  const dv = new DataView(out.buffer);
  values.forEach((v, i) => dv.setBigInt64(i * 8, BigInt(v), true));
  return out;
}
