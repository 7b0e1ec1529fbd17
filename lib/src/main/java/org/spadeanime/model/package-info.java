/**
 * The SPADE anime generator and its patch discriminator, block by block, as DJL blocks.
 *
 * <pre>{@code
 * DjlRuntime.init();
 * NDManager model = NDManager.newBaseManager();            // long-lived: the parameters
 * ModelOptions o = ModelOptions.tiny();                      // or paper(), or paper().withNoise(false) …
 * SpadeGenerator g = new SpadeGenerator(o);
 * g.initialize(model);
 * PatchDiscriminator d = new PatchDiscriminator(o);
 * d.initialize(model);
 * ParameterStore ps = new ParameterStore(model, false);
 * try (NDManager step = model.newSubManager()) {             // per step: everything else
 *     // label (B, classes, H, W) one-hot, condition (B, 3, H, W) in [0, 1], both in `step`
 *     NDArray fake = g.forward(ps, new NDList(label, condition), true).head();     // [-1, 1]
 *     NDList out = d.forward(ps, new NDList(label, fake, condition), true);       // logits, feature1..5
 * }
 * System.out.println(g.summary());                            // parameters per block
 * g.save(Path.of("weights/g.ckpt"));                          // options inside, atomic
 * SpadeGenerator again = SpadeGenerator.load(Path.of("weights/g.ckpt"), model);
 * }</pre>
 *
 * <p>Decisions where the seed reference is silent or DJL differs (each matched by the PyTorch
 * fixture script {@code lib/src/test/python/make_model_fixtures.py}):
 *
 * <ul>
 *   <li>Batch norm: Chainer's eps 2e-5 and decay 0.9 (torch momentum 0.1); SPADE's without
 *       affine (DJL keeps a fixed γ = 1, β = 0, counted as buffers).
 *   <li>Spectral norm: {@code torch.nn.utils.spectral_norm} semantics — one power iteration per
 *       training forward, x / max(‖x‖, 1e-12), inference reuses the stored u and v; a fresh v is
 *       normalize(Wᵀu) so an untrained model's inference σ is sensible.
 *   <li>Resizing: the original's aligned-corner bilinear ({@link org.spadeanime.model.Resize}),
 *       exactly, for the head's 4×4 label, the mapping features and BILINEAR up-sampling; nearest
 *       for NEAREST up-sampling and for the NONE mapping network. Mapping features are resized once
 *       per block size.
 *   <li>Resolutions: the head is always 4×4; 256² has the original's seven blocks, 128² six, 64²
 *       five (leading 8·ngf blocks are dropped). The discriminator's patch is resolution/8 − 2.
 *   <li>Init: He normal (fan-in) for every conv; N(0, 0.05²) for {@code to_img} and {@code
 *       to_patch}; zero biases, noise scales and attention γ; random unit u.
 *   <li>Noise is injected in inference too (the original's NoiseAdder has no train switch).
 *   <li>ASPP fuses to spadeCh (the original fuses back to its input channels) and has 128
 *       channels per branch (the original's hard-coded value).
 *   <li>Sub-pixel up-sampling uses torch's pixel-shuffle channel order; the original's stride-1
 *       "deconv" mode cannot enlarge and is refused (see {@link org.spadeanime.model.Upsample}).
 * </ul>
 */
package org.spadeanime.model;
