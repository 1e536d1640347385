/** A weights file that can be fetched: where from, and how to recognise a complete, intact copy. */
export interface WeightsSource {
  /** Name of the file in the cache folder. */
  readonly fileName: string;
  /** Exact size in bytes: a cached copy of another size is not even hashed. */
  readonly size: number;
  /** Hex md5 of the whole file, checked as it downloads, and once for each version of a cached copy (see verified-copy.ts). */
  readonly md5: string;
  /** Addresses tried in order; the later ones are mirrors. */
  readonly urls: readonly string[];
}

const FILE_NAME = 'vgg19_weights_tf_dim_ordering_tf_kernels_notop.h5';

/** Keras' ImageNet VGG19 weights without the classifier (CC BY 4.0, Oxford VGG); md5 is the hash Keras checks. */
export const OFFICIAL_VGG19_WEIGHTS: WeightsSource = {
  fileName: FILE_NAME,
  size: 80_134_624,
  md5: '253f8cb515780f3b799900260a226db6',
  urls: [
    `https://storage.googleapis.com/tensorflow/keras-applications/vgg19/${FILE_NAME}`,
    `https://github.com/fchollet/deep-learning-models/releases/download/v0.1/${FILE_NAME}`,
  ],
};
