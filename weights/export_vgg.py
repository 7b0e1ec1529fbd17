#!/usr/bin/env python3
"""Converts pretrained VGG16/VGG19 weights into the file the perceptual loss loads.

The Java kit (org.spadeanime.loss.PerceptualLoss) reads weights/vgg16.safetensors (or
weights/vgg19.safetensors). Pretrained weights cannot be downloaded on the training machine of
this project, so run this script once on a machine with internet and copy the file over.

Two sources; both give a file whose first convolution expects the reference's Caffe input
(BGR, 0..255, minus the mean 103.939 / 116.779 / 123.68), so the loss needs no other setting:

  1. caffe (matches the original project exactly; Chainer's VGG16Layers used these weights):
       wget https://www.robots.ox.ac.uk/~vgg/software/very_deep/caffe/VGG_ILSVRC_16_layers.caffemodel
       python3 weights/export_vgg.py caffe VGG_ILSVRC_16_layers.caffemodel --arch vgg16
     (VGG19: VGG_ILSVRC_19_layers.caffemodel with --arch vgg19.) Needs only numpy.

  2. torchvision (easier to fetch; needs `pip install torch torchvision numpy`):
       python3 weights/export_vgg.py torchvision --arch vgg16
     These are different weights (trained by torchvision on RGB in [0,1] normalised with
     mean 0.485/0.456/0.406, std 0.229/0.224/0.225). The script folds that normalisation and the
     channel order into conv1_1 so the file takes the Caffe input above. Caveat: the fold is
     exact except where conv1_1's zero padding meets the image border (the two conventions pad
     with slightly different values); the script measures the effect on the last layer and stops
     if it exceeds 1e-2 relative (on a random network it is about 3e-7).
     Perceptual loss values differ from the original's because the network was trained differently.

The output (default weights/<arch>.safetensors) is a safetensors file: float32 tensors
"conv{block}_{i}.weight" (out, in, 3, 3) and "conv{block}_{i}.bias" (out,) for the convolutional
layers only (the classifier is not needed), plus metadata "format" = "spade-anime-vgg/1",
"arch" = vgg16|vgg19, "input" = "caffe-bgr-255", "source" = where the weights came from.
"""
import argparse
import json
import os
import struct
import sys

import numpy as np

FORMAT = 'spade-anime-vgg/1'
INPUT = 'caffe-bgr-255'
CAFFE_MEAN_BGR = (103.939, 116.779, 123.68)
BLOCKS = {'vgg16': (2, 2, 3, 3, 3), 'vgg19': (2, 2, 4, 4, 4)}
WIDTHS = (64, 128, 256, 512, 512)
TORCHVISION_MEAN_RGB = (0.485, 0.456, 0.406)
TORCHVISION_STD_RGB = (0.229, 0.224, 0.225)


def conv_names(arch):
    """conv1_1, conv1_2, conv2_1, ... in network order."""
    return ['conv%d_%d' % (b + 1, i + 1) for b, n in enumerate(BLOCKS[arch]) for i in range(n)]


def write_safetensors(path, tensors, metadata):
    """Writes {name: float32 array} in the safetensors layout (8-byte little-endian header length,
    JSON header, raw little-endian data), keeping the given order. Atomic: temp file + rename."""
    header = {'__metadata__': {k: str(v) for k, v in metadata.items()}}
    offset = 0
    blobs = []
    for name, array in tensors.items():
        data = np.ascontiguousarray(array, dtype='<f4').tobytes()
        header[name] = {'dtype': 'F32', 'shape': list(array.shape),
                        'data_offsets': [offset, offset + len(data)]}
        offset += len(data)
        blobs.append(data)
    head = json.dumps(header, separators=(',', ':')).encode('utf-8')
    head += b' ' * (-len(head) % 8)
    tmp = path + '.tmp'
    with open(tmp, 'wb') as f:
        f.write(struct.pack('<Q', len(head)))
        f.write(head)
        for data in blobs:
            f.write(data)
    os.replace(tmp, path)


# ------------------------------------------------------------------ Caffe (.caffemodel)
# A minimal protobuf reader for the fields needed (caffe.proto): NetParameter.layer = 100
# (LayerParameter: name = 1, blobs = 7) and the older NetParameter.layers = 2 (V1LayerParameter:
# name = 4, blobs = 6, or a V0LayerParameter in field 1: name = 1, blobs = 50); BlobProto:
# num/channels/height/width = 1..4, data = 5 (float), shape = 7 (BlobShape.dim = 1).
# lib/src/test/python/check_export_vgg.py checks it against the real protobuf library.

def _varint(buf, pos):
    result = shift = 0
    while True:
        byte = buf[pos]
        pos += 1
        result |= (byte & 0x7f) << shift
        if not byte & 0x80:
            return result, pos
        shift += 7


def _fields(buf):
    """Yields (field number, wire type, value) of one message; value is an int or a memoryview."""
    pos, end = 0, len(buf)
    while pos < end:
        key, pos = _varint(buf, pos)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, pos = _varint(buf, pos)
        elif wire == 1:
            value, pos = buf[pos:pos + 8], pos + 8
        elif wire == 2:
            size, pos = _varint(buf, pos)
            value, pos = buf[pos:pos + size], pos + size
        elif wire == 5:
            value, pos = buf[pos:pos + 4], pos + 4
        else:
            raise ValueError('unsupported protobuf wire type %d' % wire)
        yield number, wire, value


def _blob(buf):
    dims4 = {}
    shape = None
    chunks = []
    for number, wire, value in _fields(buf):
        if number in (1, 2, 3, 4) and wire == 0:
            dims4[number] = value
        elif number == 5 and wire == 2:  # packed floats
            chunks.append(np.frombuffer(bytes(value), dtype='<f4'))
        elif number == 5 and wire == 5:  # unpacked float
            chunks.append(np.frombuffer(bytes(value), dtype='<f4'))
        elif number == 7 and wire == 2:
            shape = []
            for n, w, v in _fields(value):
                if n == 1 and w == 2:
                    pos = 0
                    while pos < len(v):
                        d, pos = _varint(v, pos)
                        shape.append(d)
                elif n == 1 and w == 0:
                    shape.append(v)
    data = np.concatenate(chunks) if chunks else np.zeros(0, np.float32)
    if shape is None:
        shape = [dims4.get(i, 0) for i in (1, 2, 3, 4)]
    return data.reshape([d for d in shape if d > 0] or [data.size])


def _layer(buf, name_field, blob_field):
    name, blobs, v0 = None, [], None
    for n, w, v in _fields(buf):
        if n == name_field and w == 2:
            name = bytes(v).decode('utf-8')
        elif n == blob_field and w == 2:
            blobs.append(_blob(v))
        elif name_field == 4 and n == 1 and w == 2:
            v0 = v  # V1LayerParameter.layer: a V0LayerParameter (name = 1, blobs = 50)
    if v0 is not None and not blobs:
        return _layer(v0, 1, 50)
    return name, blobs


def parse_caffemodel(data):
    """{layer name: [blob arrays]} for every layer that has blobs."""
    layers = {}
    for number, wire, value in _fields(memoryview(data)):
        if wire != 2 or number not in (2, 100):
            continue
        name, blobs = _layer(value, 1, 7) if number == 100 else _layer(value, 4, 6)
        if name is not None and blobs:
            layers[name] = blobs
    return layers


def from_caffe(path, arch):
    with open(path, 'rb') as f:
        layers = parse_caffemodel(f.read())
    tensors = {}
    for name in conv_names(arch):
        if name not in layers:
            raise SystemExit('%s: no layer %s; is this the %s caffemodel? layers found: %s'
                             % (path, name, arch, ', '.join(layers)))
        w, b = layers[name][0], layers[name][1]
        tensors[name + '.weight'] = w.reshape(w.shape[-4:]).astype(np.float32)
        tensors[name + '.bias'] = b.reshape(-1).astype(np.float32)
    return tensors


# ------------------------------------------------------------------ torchvision
def fold_torchvision_input(weight, bias):
    """conv1_1 of a torchvision VGG takes u_c = (x_c / 255 - m_c) / s_c for RGB x in 0..255; the
    Caffe input is z = BGR(x) - mean_bgr. Since u is affine in z, fold it into the weights:
    for RGB channel c fed by BGR channel 2 - c, W'[:, 2 - c] = W[:, c] / (255 s_c), and
    b' = b + sum over c, kernel of W[:, c] (mean_bgr[2 - c] / 255 - m_c) / s_c."""
    weight = np.asarray(weight, dtype=np.float64)
    folded = np.empty_like(weight)
    offset = np.zeros(weight.shape[0])
    for c in range(3):
        bgr = 2 - c
        s, m = TORCHVISION_STD_RGB[c], TORCHVISION_MEAN_RGB[c]
        folded[:, bgr] = weight[:, c] / (255.0 * s)
        offset += weight[:, c].sum(axis=(1, 2)) * (CAFFE_MEAN_BGR[bgr] / 255.0 - m) / s
    return folded.astype(np.float32), (np.asarray(bias, np.float64) + offset).astype(np.float32)


def torchvision_tensors(features, arch):
    """Names the conv layers of a torchvision VGG `features` Sequential and folds conv1_1."""
    import torch
    convs = [m for m in features if isinstance(m, torch.nn.Conv2d)]
    names = conv_names(arch)
    if len(convs) != len(names):
        raise SystemExit('expected %d convolutions for %s, found %d' % (len(names), arch, len(convs)))
    tensors = {}
    for name, conv in zip(names, convs):
        w = conv.weight.detach().cpu().numpy()
        b = conv.bias.detach().cpu().numpy()
        if name == 'conv1_1':
            w, b = fold_torchvision_input(w, b)
        tensors[name + '.weight'] = w.astype(np.float32)
        tensors[name + '.bias'] = b.astype(np.float32)
    return tensors


def caffe_features(tensors, arch, x_caffe):
    """Runs the converted convolutions (ReLU after each, 2x2 max pool between blocks) on a
    Caffe-preprocessed batch; returns the last ReLU output. Used for the self-check."""
    import torch
    import torch.nn.functional as F
    h = x_caffe
    for b, n in enumerate(BLOCKS[arch]):
        if b > 0:
            h = F.max_pool2d(h, 2)
        for i in range(n):
            name = 'conv%d_%d' % (b + 1, i + 1)
            h = F.relu(F.conv2d(h, torch.from_numpy(tensors[name + '.weight']),
                                torch.from_numpy(tensors[name + '.bias']), padding=1))
    return h


def from_torchvision(arch):
    import torch
    import torchvision
    model = getattr(torchvision.models, arch)(weights='IMAGENET1K_V1').eval()
    tensors = torchvision_tensors(model.features, arch)
    # Self-check: the folded network on the Caffe input against torchvision's own network on its
    # own input, for a random image in [0, 1].
    rgb = torch.rand(1, 3, 64, 64)
    mean = torch.tensor(TORCHVISION_MEAN_RGB).view(1, 3, 1, 1)
    std = torch.tensor(TORCHVISION_STD_RGB).view(1, 3, 1, 1)
    with torch.no_grad():
        layer = [i for i, m in enumerate(model.features) if isinstance(m, torch.nn.ReLU)][-1]
        ref = model.features[:layer + 1]((rgb - mean) / std)
        x_caffe = rgb.flip(1) * 255 - torch.tensor(CAFFE_MEAN_BGR).view(1, 3, 1, 1)
        got = caffe_features(tensors, arch, x_caffe)
    rel = float((got - ref).abs().max() / ref.abs().max())
    print('self-check: last conv layer, max |folded - torchvision| / max |torchvision| = %.2e' % rel)
    if rel > 1e-2:
        raise SystemExit('the folded network does not reproduce torchvision (%.2e)' % rel)
    return tensors


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('source', choices=['caffe', 'torchvision'])
    parser.add_argument('caffemodel', nargs='?', help='the .caffemodel file (source caffe)')
    parser.add_argument('--arch', choices=sorted(BLOCKS), default='vgg16')
    parser.add_argument('-o', '--output', help='default: weights/<arch>.safetensors')
    args = parser.parse_args(argv)
    out = args.output or os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                      args.arch + '.safetensors')
    if args.source == 'caffe':
        if not args.caffemodel:
            parser.error('source caffe needs the path of the .caffemodel file')
        if not os.path.isfile(args.caffemodel):
            parser.error('%s: no such file (download the .caffemodel first, see --help)' % args.caffemodel)
        tensors = from_caffe(args.caffemodel, args.arch)
        source = 'caffe:' + os.path.basename(args.caffemodel)
    else:
        tensors = from_torchvision(args.arch)
        source = 'torchvision:%s IMAGENET1K_V1 (normalisation folded into conv1_1)' % args.arch
    write_safetensors(out, tensors, {'format': FORMAT, 'arch': args.arch, 'input': INPUT,
                                     'source': source})
    print('wrote %s (%d tensors, %.1f MB)' % (out, len(tensors), os.path.getsize(out) / 1e6))


if __name__ == '__main__':
    sys.exit(main())
