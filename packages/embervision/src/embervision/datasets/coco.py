"""MS COCO detection and captions, with the annotation JSON read directly (no pycocotools)."""

from __future__ import annotations

import json
import os
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from embervision.datasets.folder import pil_loader
from embervision.datasets.vision import VisionDataset

__all__ = ["COCO", "CocoCaptions", "CocoDetection"]


def _as_list(ids: Any) -> list:
    return list(ids) if isinstance(ids, Iterable) and not isinstance(ids, str) else [ids]


class COCO:
    """The index of a COCO annotation file, with the pycocotools lookups torchvision uses.

    Args:
        annotation_file: the ``instances_*.json`` / ``captions_*.json`` file.

    Attributes:
        dataset: the parsed JSON. imgs, anns, cats: dicts by id. imgToAnns: image id to its
        annotation dicts, in file order.

    Example:
        >>> coco = COCO("annotations/instances_val2017.json")  # doctest: +SKIP
        >>> coco.loadAnns(coco.getAnnIds(139))[0]["category_id"]  # doctest: +SKIP
        64
    """

    def __init__(self, annotation_file: str | os.PathLike) -> None:
        path = os.fspath(annotation_file)
        with open(path, encoding="utf-8") as f:
            try:
                self.dataset = json.load(f)
            except json.JSONDecodeError as err:
                raise RuntimeError(f"{path}: not a valid COCO annotation file ({err})") from err
        if not isinstance(self.dataset, dict) or not isinstance(self.dataset.get("images"), list):
            raise RuntimeError(
                f"{path}: a COCO annotation file is a JSON object with an 'images' list"
            )
        self.imgs = {img["id"]: img for img in self.dataset["images"]}
        annotations = self.dataset.get("annotations", [])
        self.anns = {ann["id"]: ann for ann in annotations if "id" in ann}
        self.cats = {cat["id"]: cat for cat in self.dataset.get("categories", [])}
        self.imgToAnns: dict[Any, list[dict]] = defaultdict(list)
        for ann in annotations:
            self.imgToAnns[ann["image_id"]].append(ann)

    def getImgIds(self) -> list:  # noqa: N802 - pycocotools' name
        """All image ids."""
        return list(self.imgs)

    def getAnnIds(self, imgIds: Any = ()) -> list:  # noqa: N802, N803
        """The ids of the annotations of the given image id(s), all when empty."""
        if not _as_list(imgIds):
            return list(self.anns)
        return [ann["id"] for i in _as_list(imgIds) for ann in self.imgToAnns.get(i, [])]

    def loadAnns(self, ids: Any) -> list[dict]:  # noqa: N802
        """The annotation dicts with the given id(s)."""
        return [self.anns[i] for i in _as_list(ids)]

    def loadImgs(self, ids: Any) -> list[dict]:  # noqa: N802
        """The image records with the given id(s)."""
        return [self.imgs[i] for i in _as_list(ids)]

    def loadCats(self, ids: Any) -> list[dict]:  # noqa: N802
        """The category records with the given id(s)."""
        return [self.cats[i] for i in _as_list(ids)]


class CocoDetection(VisionDataset):
    """MS COCO detection: an RGB PIL image and the list of its annotation dicts.

    Images are ``root/<file_name>`` for each record of the annotation file; items follow the
    sorted image ids. The target is the list of annotation dicts as stored in the JSON
    (``bbox``, ``category_id``, ``segmentation``, ...), in file order.

    Args:
        root: the image folder (for example ``val2017``).
        annFile: the annotation JSON.
        transform: called on each image.
        target_transform: called on each target list.
        transforms: called on ``(image, target)`` (exclusive with the two above).

    Example:
        >>> ds = CocoDetection("val2017", "annotations/instances_val2017.json")  # doctest: +SKIP
        >>> image, anns = ds[0]  # doctest: +SKIP
    """

    def __init__(
        self,
        root: str | os.PathLike,
        annFile: str | os.PathLike,  # noqa: N803
        transform: Callable | None = None,
        target_transform: Callable | None = None,
        transforms: Callable | None = None,
    ) -> None:
        super().__init__(root, transforms, transform, target_transform)
        self.coco = COCO(annFile)
        self.ids = sorted(self.coco.imgs)

    def _load_image(self, id: Any) -> Any:
        record = self.coco.imgs[id]
        if "file_name" not in record:
            raise RuntimeError(f"COCO image record {id!r} has no 'file_name'")
        return pil_loader(os.path.join(self.root, record["file_name"]))

    def _load_target(self, id: Any) -> list[Any]:
        return list(self.coco.imgToAnns.get(id, []))

    def __getitem__(self, index: int) -> tuple[Any, Any]:
        if not isinstance(index, int):
            raise ValueError(f"Index must be of type integer, got {type(index)} instead.")
        id = self.ids[index]
        image, target = self._load_image(id), self._load_target(id)
        return self.apply_transforms(image, target)

    def __len__(self) -> int:
        return len(self.ids)


class CocoCaptions(CocoDetection):
    """MS COCO captions: an RGB PIL image and the list of its caption strings.

    Arguments as :class:`CocoDetection`, with a ``captions_*.json`` annotation file.

    Example:
        >>> ds = CocoCaptions("val2017", "annotations/captions_val2017.json")  # doctest: +SKIP
        >>> ds[0][1][0]  # doctest: +SKIP
        'A woman stands in the dining area at the table.'
    """

    def _load_target(self, id: Any) -> list[str]:
        return [ann["caption"] for ann in super()._load_target(id)]
