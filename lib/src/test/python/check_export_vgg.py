#!/usr/bin/python3
"""Checks weights/export_vgg.py without network access (run by hand; CI runs only the Java tests).

1. Its minimal .caffemodel reader against caffemodels serialised by the real protobuf library
   (Debian python3-protobuf) from the field numbers of BVLC caffe.proto, in both the current
   (NetParameter.layer = 100, BlobProto.shape), the V1 layout (NetParameter.layers = 2,
   num/channels/height/width) of the 2014 VGG caffemodels and the older V0 nesting; packed and
   unpacked floats.
2. The torchvision fold: a random VGG16 with torchvision's layer layout, run on torchvision's
   input, against the converted network on the Caffe input.

  /usr/bin/python3 lib/src/test/python/check_export_vgg.py
"""
import os
import sys

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.normpath(os.path.join(HERE, '..', '..', '..', '..', 'weights')))
import export_vgg  # noqa: E402


def caffe_messages():
    from google.protobuf import descriptor_pb2, descriptor_pool, message_factory
    f = descriptor_pb2.FileDescriptorProto(name='caffe_subset.proto', package='caffe', syntax='proto2')
    T = descriptor_pb2.FieldDescriptorProto

    def msg(name, fields):
        m = f.message_type.add(name=name)
        for fname, number, ftype, label, type_name, packed in fields:
            fd = m.field.add(name=fname, number=number, type=ftype, label=label)
            if type_name:
                fd.type_name = type_name
            if packed:
                fd.options.packed = True
    OPT, REP = T.LABEL_OPTIONAL, T.LABEL_REPEATED
    msg('BlobShape', [('dim', 1, T.TYPE_INT64, REP, None, True)])
    msg('BlobProto', [('shape', 7, T.TYPE_MESSAGE, OPT, '.caffe.BlobShape', False),
                      ('data', 5, T.TYPE_FLOAT, REP, None, True),
                      ('num', 1, T.TYPE_INT32, OPT, None, False),
                      ('channels', 2, T.TYPE_INT32, OPT, None, False),
                      ('height', 3, T.TYPE_INT32, OPT, None, False),
                      ('width', 4, T.TYPE_INT32, OPT, None, False)])
    msg('BlobProtoUnpacked', [('data', 5, T.TYPE_FLOAT, REP, None, False),
                              ('num', 1, T.TYPE_INT32, OPT, None, False),
                              ('channels', 2, T.TYPE_INT32, OPT, None, False),
                              ('height', 3, T.TYPE_INT32, OPT, None, False),
                              ('width', 4, T.TYPE_INT32, OPT, None, False)])
    msg('LayerParameter', [('name', 1, T.TYPE_STRING, OPT, None, False),
                           ('type', 2, T.TYPE_STRING, OPT, None, False),
                           ('blobs', 7, T.TYPE_MESSAGE, REP, '.caffe.BlobProto', False)])
    msg('V0LayerParameter', [('name', 1, T.TYPE_STRING, OPT, None, False),
                             ('blobs', 50, T.TYPE_MESSAGE, REP, '.caffe.BlobProtoUnpacked', False)])
    msg('V1LayerParameter', [('name', 4, T.TYPE_STRING, OPT, None, False),
                             ('type', 5, T.TYPE_INT32, OPT, None, False),
                             ('blobs', 6, T.TYPE_MESSAGE, REP, '.caffe.BlobProtoUnpacked', False),
                             ('layer', 1, T.TYPE_MESSAGE, OPT, '.caffe.V0LayerParameter', False)])
    msg('NetParameter', [('name', 1, T.TYPE_STRING, OPT, None, False),
                         ('layer', 100, T.TYPE_MESSAGE, REP, '.caffe.LayerParameter', False),
                         ('layers', 2, T.TYPE_MESSAGE, REP, '.caffe.V1LayerParameter', False)])
    pool = descriptor_pool.DescriptorPool()
    pool.Add(f)
    return {n: message_factory.MessageFactory(pool).GetPrototype(pool.FindMessageTypeByName('caffe.' + n))
            for n in ('NetParameter',)}


def check_caffemodel(arch='vgg16'):
    NetParameter = caffe_messages()['NetParameter']
    rng = np.random.default_rng(0)
    widths, expected, cin = (3, 4, 5, 6, 7), {}, 3
    for name in export_vgg.conv_names(arch):
        cout = widths[int(name[4]) - 1]
        expected[name] = (rng.standard_normal((cout, cin, 3, 3)).astype(np.float32),
                          rng.standard_normal(cout).astype(np.float32))
        cin = cout
    for layout in ('current', 'v1', 'v0'):
        net = NetParameter(name='VGG_ILSVRC_16_layers')
        for name, (w, b) in expected.items():
            if layout == 'current':
                layer = net.layer.add(name=name, type='Convolution')
                for arr in (w, b):
                    blob = layer.blobs.add()
                    blob.shape.dim.extend(arr.shape)
                    blob.data.extend(arr.ravel().tolist())
            else:
                layer = net.layers.add(name=name, type=4) if layout == 'v1' else net.layers.add().layer
                if layout == 'v0':
                    layer.name = name
                for arr, dims in ((w, w.shape), (b, (1, 1, 1, b.size))):
                    blob = layer.blobs.add(num=dims[0], channels=dims[1], height=dims[2], width=dims[3])
                    blob.data.extend(arr.ravel().tolist())
        fc = (net.layer.add(name='fc6', type='InnerProduct') if layout == 'current'
              else net.layers.add(name='fc6', type=14))
        fc.blobs.add().data.extend([1.0, 2.0])
        path = '/tmp/check_export_vgg_%s.caffemodel' % layout
        with open(path, 'wb') as f:
            f.write(net.SerializeToString())
        got = export_vgg.from_caffe(path, arch)
        for name, (w, b) in expected.items():
            assert np.array_equal(got[name + '.weight'], w), (layout, name)
            assert np.array_equal(got[name + '.bias'], b), (layout, name)
        os.remove(path)
        print('caffemodel reader, %s layout: all %d convolutions read exactly' % (layout, len(expected)))


def check_torchvision_fold(arch='vgg16'):
    torch.manual_seed(0)
    layers, cin = [], 3
    for b, n in enumerate(export_vgg.BLOCKS[arch]):
        for _ in range(n):
            layers += [torch.nn.Conv2d(cin, export_vgg.WIDTHS[b] // 8, 3, padding=1), torch.nn.ReLU(True)]
            cin = export_vgg.WIDTHS[b] // 8
        layers.append(torch.nn.MaxPool2d(2, 2))
    features = torch.nn.Sequential(*layers).eval()
    tensors = export_vgg.torchvision_tensors(features, arch)
    rgb = torch.rand(2, 3, 64, 64)
    mean = torch.tensor(export_vgg.TORCHVISION_MEAN_RGB).view(1, 3, 1, 1)
    std = torch.tensor(export_vgg.TORCHVISION_STD_RGB).view(1, 3, 1, 1)
    with torch.no_grad():
        ref = features[:-1]((rgb - mean) / std)
        got = export_vgg.caffe_features(tensors, arch, rgb.flip(1) * 255 -
                                        torch.tensor(export_vgg.CAFFE_MEAN_BGR).view(1, 3, 1, 1))
        first_ref = torch.relu(features[0]((rgb - mean) / std))[:, :, 1:-1, 1:-1]
        first = torch.relu(torch.nn.functional.conv2d(
            rgb.flip(1) * 255 - torch.tensor(export_vgg.CAFFE_MEAN_BGR).view(1, 3, 1, 1),
            torch.from_numpy(tensors['conv1_1.weight']), torch.from_numpy(tensors['conv1_1.bias']),
            padding=1))[:, :, 1:-1, 1:-1]
    interior = float((first - first_ref).abs().max() / first_ref.abs().max())
    rel = float((got - ref).abs().max() / ref.abs().max())
    print('torchvision fold: conv1_1 interior rel. error %.1e; last layer (border effects) %.1e' % (interior, rel))
    assert interior < 1e-5 and rel < 1e-2


if __name__ == '__main__':
    check_caffemodel('vgg16')
    check_caffemodel('vgg19')
    check_torchvision_fold()
