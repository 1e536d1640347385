/**
 * The style gallery: public-domain paintings shipped in assets/gallery/ (credits and sources in its CREDITS.md),
 * by id. Pure data, read by the extension (picker, Try All Styles), the worker and the CLI (`styles`, `gallery:ID`,
 * `sheet`). Each file is checked against its sha256 when it is read (read-painting.ts).
 */
export interface GalleryStyle {
  /** Short and stable: the style's part of an output's name (dog.starry-night.stylized.png) and of `gallery:ID`. */
  readonly id: string;
  readonly title: string;
  readonly artist: string;
  readonly year: string;
  /** Why it is free to ship, and where the copy comes from. */
  readonly credit: string;
  /** In assets/gallery/. */
  readonly file: string;
  readonly sha256: string;
}

/** The prefix that names a gallery painting where an image file is expected (CLI style arguments). */
export const GALLERY_PREFIX = 'gallery:';

const pd = (died: number, from: string) => `public domain (the artist died in ${died}); copy from ${from}`;

export const GALLERY: readonly GalleryStyle[] = [
  { id: 'starry-night', title: 'The Starry Night', artist: 'Vincent van Gogh', year: '1889', credit: pd(1890, 'jcjohnson/neural-style'), file: 'van-gogh-starry-night.jpg', sha256: 'bec619e2a743f41b1bf201872ca507312ddd311f8a1e743bb742ca02b84ebb20' },
  { id: 'great-wave', title: 'The Great Wave off Kanagawa', artist: 'Katsushika Hokusai', year: 'c. 1831', credit: pd(1849, 'stuarthaze/StyleTransferApp'), file: 'hokusai-great-wave.jpg', sha256: 'd587550e420ebe56562eb886662756695c5ce0e770e8873747b7b19b4dfbb6f2' },
  { id: 'the-scream', title: 'The Scream', artist: 'Edvard Munch', year: '1893', credit: pd(1944, 'jcjohnson/neural-style'), file: 'munch-the-scream.jpg', sha256: '20c4bded42ed515583f8cc685e50ce685727161095166781a4532a8ca20e3650' },
  { id: 'composition-vii', title: 'Composition VII', artist: 'Wassily Kandinsky', year: '1913', credit: pd(1944, 'jcjohnson/fast-neural-style'), file: 'kandinsky-composition-vii.jpg', sha256: '06ef08ac5393fbbb792aaf10a173e5ffb1b556d7ae4fc74453f3d8c342d325db' },
  { id: 'the-kiss', title: 'The Kiss', artist: 'Gustav Klimt', year: '1907–08', credit: pd(1918, 'thirteenrains/portfolio'), file: 'klimt-the-kiss.jpg', sha256: '5978081639c8b613fec50e0ea3720e285accae2a83ab10872ea9e1e7d5f9a63a' },
  { id: 'udnie', title: 'Udnie', artist: 'Francis Picabia', year: '1913', credit: pd(1953, 'jcjohnson/fast-neural-style'), file: 'picabia-udnie.jpg', sha256: 'b2faa6df6f810c1a7491bb42787c97a83cdd6bfa9c7f9da6b5a60d38734368f6' },
  { id: 'shipwreck', title: 'The Shipwreck of the Minotaur', artist: 'J. M. W. Turner', year: 'c. 1810', credit: pd(1851, 'lengstrom/fast-style-transfer'), file: 'turner-shipwreck-of-the-minotaur.jpg', sha256: '563dba30c3fcad132f5becf01747b8915b14e5dcfdde340e9e7c4de339410f79' },
  { id: 'wheat-field', title: 'Wheat Field with Cypresses', artist: 'Vincent van Gogh', year: '1889', credit: pd(1890, 'gordicaleksa/pytorch-neural-style-transfer'), file: 'van-gogh-wheat-field-with-cypresses.jpg', sha256: 'aee9f76974e5aad4a4799ad124756ecae60a3a6ed68cf64f177108c5bd1ccf45' },
  { id: 'self-portrait', title: 'Self-Portrait', artist: 'Vincent van Gogh', year: '1889', credit: pd(1890, 'alexjc/neural-doodle'), file: 'van-gogh-self-portrait.jpg', sha256: 'e52359b6d0e24b5f7b52f21eeea9f04c3722ff56fa5376b9a9e0f75e56e89b3a' },
  { id: 'water-lilies', title: 'Water Lilies', artist: 'Claude Monet', year: '1906', credit: pd(1926, 'thirteenrains/portfolio'), file: 'monet-water-lilies.jpg', sha256: 'e26357a16ad28daa8688fc60c72ff18cf436dc625673c8e500ce456894c36224' },
  { id: 'grande-jatte', title: 'Study for A Sunday on La Grande Jatte', artist: 'Georges Seurat', year: '1884', credit: pd(1891, 'sehugg/dithertron'), file: 'seurat-grande-jatte-study.jpg', sha256: 'fd43fa2f6129d2ba43a3995a2ec7b4d472c2dd20bdb57ffae9764aad723fd7f5' },
  { id: 'woman-with-a-hat', title: 'Woman with a Hat', artist: 'Henri Matisse', year: '1905', credit: pd(1954, 'jcjohnson/neural-style'), file: 'matisse-woman-with-a-hat.jpg', sha256: 'f60e6402e2e40dd31fdf6c2760a47f66db4ade1a9b37b8416b55c8981d6d5d35' },
  { id: 'composition-1916', title: 'Composition 1916', artist: 'Piet Mondrian', year: '1916', credit: pd(1944, 'yusuketomoto/chainer-fast-neuralstyle'), file: 'mondrian-composition-1916.jpg', sha256: 'fea4a1436e0264d8bc2bc69a15d373f56c0f474aae121774eeb09ae12b3a7d04' },
  { id: 'yellow-cow', title: 'The Yellow Cow', artist: 'Franz Marc', year: '1911', credit: pd(1916, 'derochs/deep-learning-2020'), file: 'marc-yellow-cow.jpg', sha256: 'c3b580dc2218fa3d1400dc8489e2b01764b89b6e945737f18d22d1f827ded60c' },
  { id: 'three-tahitian-women', title: 'Three Tahitian Women', artist: 'Paul Gauguin', year: '1896', credit: pd(1903, 'gordicaleksa/pytorch-neural-style-transfer'), file: 'gauguin-three-tahitian-women.jpg', sha256: '57e93cb00167b4c5d6000f4b848c8e318b93cae8b2ed7af183792bb1868bf6c9' },
  { id: 'jas-de-bouffan', title: 'Trees and Houses Near the Jas de Bouffan', artist: 'Paul Cézanne', year: '1885–86', credit: pd(1906, 'sehugg/dithertron'), file: 'cezanne-trees-and-houses-jas-de-bouffan.jpg', sha256: '9884e9169975c33b954134192268a43bafe6973b0b3fb024398cc6b092afa5be' },
  { id: 'metzinger', title: 'Portrait of Jean Metzinger', artist: 'Robert Delaunay', year: '1906', credit: pd(1941, 'zhanghang1989/PyTorch-Multi-Style-Transfer'), file: 'delaunay-portrait-of-metzinger.jpg', sha256: '53c68a5007a8a00e042bfc6c50599b0d3c4f87d73fe41bbc8fad28cd7a3a17db' },
  { id: 'hara', title: 'Hara, from the Fifty-three Stations of the Tōkaidō', artist: 'Utagawa Hiroshige', year: 'before 1858', credit: pd(1858, 'alexfont321/alexfont321.github.io'), file: 'hiroshige-hara.jpg', sha256: '67cba3d38d568abd7fe6098161da59101ad45a1023e8de1ed5061611d0c5a93e' },
  { id: 'pearl-earring', title: 'Girl with a Pearl Earring', artist: 'Johannes Vermeer', year: 'c. 1665', credit: pd(1675, 'thirteenrains/portfolio'), file: 'vermeer-girl-with-a-pearl-earring.jpg', sha256: '74ed85cf5c19c3cd5cad35488d011f64a7a1d00168fd9707fb856dd285fb09d3' },
  { id: 'mona-lisa', title: 'Mona Lisa', artist: 'Leonardo da Vinci', year: 'c. 1503–19', credit: pd(1519, 'ZhengXueTech/renaissance-art-quiz'), file: 'leonardo-mona-lisa.jpg', sha256: '877163e460f5e2bd8c60329d965a2762a1cf147086220f1e9960c264a749cfd4' },
];

const BY_ID = new Map(GALLERY.map((s) => [s.id, s]));

export function galleryStyle(id: string): GalleryStyle | undefined {
  return BY_ID.get(id);
}

/** "The Starry Night (Vincent van Gogh, 1889)": how a painting is named to people. */
export function paintingLabel(s: GalleryStyle): string {
  return `${s.title} (${s.artist}, ${s.year})`;
}

/** The number of single-character edits from `a` to `b` (Levenshtein). */
function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    row = next;
  }
  return row[b.length];
}

/**
 * The ids nearest `id` by edit distance, nearest first (at most `count`). An id that contains or is contained in
 * what was typed ("wave" for great-wave) counts as near as one edit.
 */
export function closestGalleryIds(id: string, count = 3): string[] {
  const typed = id.toLowerCase();
  const distance = (s: GalleryStyle) => (s.id.includes(typed) || typed.includes(s.id) ? 1 : editDistance(typed, s.id));
  return GALLERY.map((s) => ({ id: s.id, d: distance(s) }))
    .sort((a, b) => a.d - b.d || a.id.localeCompare(b.id))
    .slice(0, count)
    .map((s) => s.id);
}

