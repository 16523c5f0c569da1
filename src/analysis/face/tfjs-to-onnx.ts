// Turns one of Human's TensorFlow.js graph models (model.json + weights) into an ONNX model, so the same
// weights run on ONNX Runtime's native CPU kernels instead of TensorFlow.js's WASM build. Only the ops
// these convolutional models use are supported; anything else is refused by name.
//
// TensorFlow.js graphs are NHWC, ONNX convolutions NCHW: the input is transposed once, every 4-D op
// then runs NCHW, and a tensor goes back to NHWC only where layout matters (reshape, concat, outputs).
import onnxProto, { type onnx as proto } from 'onnx-proto';

const { onnx } = onnxProto;

interface TfAttr {
  s?: string;
  i?: string;
  b?: boolean;
  list?: { i?: string[]; s?: string[] };
}
interface TfNode {
  name: string;
  op: string;
  input?: string[];
  attr?: Record<string, TfAttr>;
}
interface TfWeight {
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32';
  quantization?: { dtype: string };
}
export interface TfjsGraphModel {
  format?: string;
  modelTopology: { node: TfNode[] };
  weightsManifest: Array<{ paths: string[]; weights: TfWeight[] }>;
}

interface Constant {
  shape: number[];
  values: Float32Array | Int32Array;
}

const FLOAT = onnx.TensorProto.DataType.FLOAT;
const INT64 = onnx.TensorProto.DataType.INT64;
const TO_NCHW = [0, 3, 1, 2];
const TO_NHWC = [0, 2, 3, 1];

/** The model's weights, by constant name, from the concatenated weight files (float16 or 32-bit). */
function readWeights(model: TfjsGraphModel, bytes: Uint8Array): Map<string, Constant> {
  const weights = model.weightsManifest.flatMap((group) => group.weights);
  for (const weight of weights) {
    const quantization = weight.quantization?.dtype;
    if (quantization && quantization !== 'float16') throw new Error(`Unsupported weight quantization: ${quantization}`);
  }
  const bytesPerValue = (weight: TfWeight) => (weight.quantization ? 2 : 4);
  const count = (weight: TfWeight) => weight.shape.reduce((product, size) => product * size, 1);
  const expected = weights.reduce((sum, weight) => sum + count(weight) * bytesPerValue(weight), 0);
  if (expected !== bytes.byteLength)
    throw new Error(`Weights hold ${bytes.byteLength} bytes; the manifest reads ${expected}`);
  const constants = new Map<string, Constant>();
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = 0;
  for (const weight of weights) {
    const values = weight.dtype === 'int32' ? new Int32Array(count(weight)) : new Float32Array(count(weight));
    for (let i = 0; i < values.length; i++) {
      values[i] = weight.quantization
        ? halfToFloat(view.getUint16(offset + i * 2, true))
        : weight.dtype === 'int32'
          ? view.getInt32(offset + i * 4, true)
          : view.getFloat32(offset + i * 4, true);
    }
    offset += values.length * bytesPerValue(weight);
    constants.set(weight.name, { shape: weight.shape, values });
  }
  return constants;
}

function halfToFloat(half: number): number {
  const sign = half & 0x8000 ? -1 : 1;
  const exponent = (half >> 10) & 0x1f;
  const fraction = half & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 0x1f) return fraction ? NaN : sign * Infinity;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}

const text = (attr: TfAttr | undefined) => (attr?.s ? Buffer.from(attr.s, 'base64').toString('utf8') : undefined);
const numbers = (attr: TfAttr | undefined) => (attr?.list?.i ?? []).map(Number);

/** Converts the graph; its input keeps TensorFlow.js's NHWC shape, with a free batch size. */
export function tfjsToOnnx(model: TfjsGraphModel, weights: Uint8Array, name: string): Uint8Array {
  const constants = readWeights(model, weights);
  const nodes: proto.INodeProto[] = [];
  const initializers: proto.ITensorProto[] = [];
  /** Tensors held NCHW (4-D activations); everything else is as TensorFlow.js has it. */
  const nchw = new Set<string>();
  const outputs: string[] = [];
  let inputName = '';
  let inputShape: number[] = [];
  let unique = 0;

  const add = (opType: string, input: string[], output: string, attribute: proto.IAttributeProto[] = []) =>
    nodes.push({ opType, input, output: [output], attribute, name: output });
  const initializer = (dims: number[], values: Float32Array) => {
    const tensorName = `w${unique++}`;
    initializers.push({ name: tensorName, dims, dataType: FLOAT, rawData: new Uint8Array(values.buffer.slice(0)) });
    return tensorName;
  };
  const int64 = (values: number[]) => {
    const tensorName = `i${unique++}`;
    const data = new Uint8Array(new BigInt64Array(values.map(BigInt)).buffer);
    initializers.push({ name: tensorName, dims: [values.length], dataType: INT64, rawData: data });
    return tensorName;
  };
  const constant = (tensorName: string) => {
    const value = constants.get(tensorName.split(':')[0]!);
    if (!value) throw new Error(`${name}: ${tensorName} is not a constant`);
    return value;
  };
  /** The tensor in TensorFlow.js's own layout. */
  const asNhwc = (tensorName: string) => {
    if (!nchw.has(tensorName)) return tensorName;
    const transposed = `${tensorName}/nhwc`;
    if (!nodes.some((n) => n.output?.[0] === transposed))
      add('Transpose', [tensorName], transposed, [ints('perm', TO_NHWC)]);
    return transposed;
  };
  const activation = (tensorName: string) => {
    if (!nchw.has(tensorName)) throw new Error(`${name}: ${tensorName} is not a 4-D activation`);
    return tensorName;
  };
  const padding = (node: TfNode) => {
    const mode = text(node.attr?.padding);
    if (mode === 'SAME') return [str('auto_pad', 'SAME_UPPER')];
    if (mode === 'VALID') return [str('auto_pad', 'VALID')];
    throw new Error(`${name}: ${node.name} has padding ${mode}`);
  };
  const spatial = (attr: TfAttr | undefined) => {
    const [n, h, w, c] = numbers(attr);
    if (n !== 1 || c !== 1) throw new Error(`${name}: batch or channel strides are not supported`);
    return [h!, w!];
  };
  /**
   * PReLU written as (1 − slope)·relu(x) + slope·x, the two per-channel scalings as 1×1 depthwise
   * convolutions: ONNX Runtime's PRelu kernel is slow and leaves its blocked (NCHWc) layout, while this
   * form stays in it, the additions fused into the convolutions (the iris model: 6.0 → 3.6 ms).
   */
  const prelu = (x: string, slopeName: string, out: string) => {
    const slopes = constant(slopeName).values;
    const scale = (input: string, values: Float32Array, output: string) =>
      add('Conv', [input, initializer([values.length, 1, 1, 1], values)], output, [
        int('group', values.length),
        ints('kernel_shape', [1, 1]),
      ]);
    add('Relu', [x], `${out}/positive`);
    scale(
      `${out}/positive`,
      Float32Array.from(slopes, (value) => 1 - value),
      `${out}/positive-scaled`,
    );
    scale(x, Float32Array.from(slopes), `${out}/scaled`);
    add('Add', [`${out}/positive-scaled`, `${out}/scaled`], out);
  };

  /** ONNX names of TensorFlow.js tensors that were renamed (the input, once transposed). */
  const renamed = new Map<string, string>();
  for (const node of model.modelTopology.node) {
    const inputs = (node.input ?? [])
      .filter((input) => !input.startsWith('^'))
      .map((input) => renamed.get(input) ?? input);
    const out = node.name;
    switch (node.op) {
      case 'Const':
        break;
      case 'Placeholder': {
        const dims = (node.attr as { shape?: { shape?: { dim?: Array<{ size: string }> } } } | undefined)?.shape?.shape
          ?.dim;
        inputName = out;
        inputShape = (dims ?? []).map((dim) => Number(dim.size));
        add('Transpose', [out], `${out}/nchw`, [ints('perm', TO_NCHW)]);
        renamed.set(out, `${out}/nchw`);
        nchw.add(`${out}/nchw`);
        break;
      }
      case '_FusedConv2D':
      case 'DepthwiseConv2dNative': {
        const filter = constant(inputs[1]!);
        const [kh, kw, cin, cout] = filter.shape as [number, number, number, number];
        const depthwise = node.op === 'DepthwiseConv2dNative';
        // TensorFlow: [kh, kw, in, out] (depthwise: [kh, kw, channels, multiplier]); ONNX: [out, in/group, kh, kw].
        const outChannels = depthwise ? cin * cout : cout;
        const weight = new Float32Array(filter.values.length);
        for (let y = 0; y < kh; y++)
          for (let x = 0; x < kw; x++)
            for (let i = 0; i < cin; i++)
              for (let o = 0; o < cout; o++) {
                const source = filter.values[((y * kw + x) * cin + i) * cout + o]!;
                const target = depthwise ? ((i * cout + o) * kh + y) * kw + x : ((o * cin + i) * kh + y) * kw + x;
                weight[target] = source;
              }
        const fused = (node.attr?.fused_ops?.list?.s ?? []).map((s) => Buffer.from(s, 'base64').toString('utf8'));
        const convInputs = [activation(inputs[0]!), initializer([outChannels, depthwise ? 1 : cin, kh, kw], weight)];
        if (fused[0] === 'BiasAdd')
          convInputs.push(initializer([outChannels], Float32Array.from(constant(inputs[2]!).values)));
        else if (fused.length) throw new Error(`${name}: ${node.name} fuses ${fused.join(', ')}`);
        const attributes = [
          ...padding(node),
          ints('strides', spatial(node.attr?.strides)),
          ints('dilations', spatial(node.attr?.dilations)),
          ints('kernel_shape', [kh, kw]),
          ...(depthwise ? [int('group', cin)] : []),
        ];
        const then = fused[1];
        const convOut = then ? `${out}/conv` : out;
        add('Conv', convInputs, convOut, attributes);
        if (then === 'Relu') add('Relu', [convOut], out);
        else if (then === 'Prelu') prelu(convOut, inputs[3]!, out);
        else if (then) throw new Error(`${name}: ${node.name} fuses ${then}`);
        nchw.add(out);
        break;
      }
      case 'Prelu':
        prelu(activation(inputs[0]!), inputs[1]!, out);
        nchw.add(out);
        break;
      case 'Relu':
      case 'Sigmoid':
        add(node.op, [inputs[0]!], out);
        if (nchw.has(inputs[0]!)) nchw.add(out);
        break;
      case 'AddV2': {
        const [a, b] = inputs as [string, string];
        if (nchw.has(a) !== nchw.has(b)) throw new Error(`${name}: ${node.name} adds tensors of two layouts`);
        add('Add', [a, b], out);
        if (nchw.has(a)) nchw.add(out);
        break;
      }
      case 'MaxPool':
        add('MaxPool', [activation(inputs[0]!)], out, [
          ...padding(node),
          ints('strides', spatial(node.attr?.strides)),
          ints('kernel_shape', spatial(node.attr?.ksize)),
        ]);
        nchw.add(out);
        break;
      case 'Pad': {
        const pads = Array.from(constant(inputs[1]!).values); // [[n0,n1],[h0,h1],[w0,w1],[c0,c1]]
        const [n0, n1, h0, h1, w0, w1, c0, c1] = pads as [
          number,
          number,
          number,
          number,
          number,
          number,
          number,
          number,
        ];
        add('Pad', [activation(inputs[0]!), int64([n0, c0, h0, w0, n1, c1, h1, w1])], out);
        nchw.add(out);
        break;
      }
      case 'Mean': {
        const axes = Array.from(constant(inputs[1]!).values);
        if (axes.join() !== '1,2' || !nchw.has(inputs[0]!))
          throw new Error(`${name}: ${node.name} averages over ${axes.join()}`);
        const keep = node.attr?.keep_dims?.b ? 1 : 0;
        if (keep) throw new Error(`${name}: ${node.name} keeps dimensions`);
        add('ReduceMean', [inputs[0]!], out, [ints('axes', [2, 3]), int('keepdims', 0)]);
        break;
      }
      case 'Softmax':
        add('Softmax', [asNhwc(inputs[0]!)], out, [int('axis', -1)]);
        break;
      case 'Reshape': {
        const shape = Array.from(constant(inputs[1]!).values);
        add('Reshape', [asNhwc(inputs[0]!), int64(shape)], out);
        break;
      }
      case 'ConcatV2': {
        const axis = Number(constant(inputs.at(-1)!).values[0]);
        add('Concat', inputs.slice(0, -1).map(asNhwc), out, [int('axis', axis)]);
        break;
      }
      case 'Identity':
        add('Identity', [asNhwc(inputs[0]!)], out);
        if (/^Identity(_\d+)?$/.test(out)) outputs.push(out);
        break;
      default:
        throw new Error(`${name}: unsupported op ${node.op} (${node.name})`);
    }
  }
  outputs.sort((a, b) => Number(a.split('_')[1] ?? 0) - Number(b.split('_')[1] ?? 0));
  const [, height, width, channels] = inputShape;
  return onnx.ModelProto.encode(
    onnx.ModelProto.fromObject({
      irVersion: 7,
      opsetImport: [{ domain: '', version: 13 }],
      producerName: 'interview-practice tfjs-to-onnx',
      graph: {
        name,
        node: nodes,
        initializer: initializers,
        input: [valueInfo(inputName, ['batch', height!, width!, channels!])],
        output: outputs.map((output) => ({ name: output })),
      },
    }),
  ).finish();
}

function valueInfo(name: string, dims: (number | string)[]): proto.IValueInfoProto {
  const dim = dims.map((size) => (typeof size === 'number' ? { dimValue: size } : { dimParam: size }));
  return { name, type: { tensorType: { elemType: FLOAT, shape: { dim } } } };
}
function ints(name: string, values: number[]): proto.IAttributeProto {
  return { name, type: onnx.AttributeProto.AttributeType.INTS, ints: values };
}
function int(name: string, value: number): proto.IAttributeProto {
  return { name, type: onnx.AttributeProto.AttributeType.INT, i: value };
}
function str(name: string, value: string): proto.IAttributeProto {
  return { name, type: onnx.AttributeProto.AttributeType.STRING, s: new TextEncoder().encode(value) };
}
