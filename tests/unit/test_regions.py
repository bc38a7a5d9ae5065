"""Regions from the division data set: names and aliases → canonical regions, parents, eligibility, the region choice,
and the NLU lookup table / retrieval synonyms that must agree with the data set."""

from pathlib import Path

import pytest
import yaml

from knowledge import regions
from knowledge.types import Clause, Hit

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(("said", "canonical"), [
    ("广州", "广州市"), ("广州市", "广州市"), ("佛山", "佛山市"), ("粤", "广东省"), ("广东", "广东省"),
    ("我在佛山", "佛山市"), ("广州的", "广州市"), ("我现在在深圳了", "深圳市"), ("郑州", "郑州市"),
    ("河南省郑州市", "郑州市"), ("广西", "广西壮族自治区"), ("内蒙古", "内蒙古自治区"), ("延边", "延边朝鲜族自治州"),
    ("佛山市南海区", "佛山市南海区"), ("南海区", "佛山市南海区"), ("北京朝阳区", "北京市朝阳区"), ("东莞", "东莞市"),
    ("吉林", "吉林省"), ("全国", "全国"),
])
def test_names_and_aliases_resolve_to_one_canonical_region(said, canonical):
    assert regions.resolve(said).name == canonical


@pytest.mark.parametrize("said", ["火星", "朝阳区", "其他地区", "", "失业保险金每个月能领多少", "广"])
def test_unknown_or_ambiguous_places_are_not_guessed(said):
    assert regions.resolve(said) is None  # 朝阳区: Beijing's and Changchun's


def test_parents_up_to_the_whole_country():
    assert regions.chain("佛山市") == ["佛山市", "广东省", "全国"]
    assert regions.chain("佛山市南海区") == ["佛山市南海区", "佛山市", "广东省", "全国"]
    assert regions.chain("北京市") == ["北京市", "全国"]
    assert len(regions.children("广东省")) == 21 and "东莞市" in regions.children("广东省")


@pytest.mark.parametrize(("text", "canonical"), [
    ("我现在在深圳了", "深圳市"), ("我原来在广州，现在在佛山", "佛山市"), ("在东莞打工3年能领失业金吗", "东莞市"),
    ("失业保险金每个月能领多少", None), ("中山大学毕业生有什么补贴", None), ("粤府〔2017〕101号说了什么", None),
])
def test_the_region_a_message_names(text, canonical):
    found = regions.mentioned(text)
    assert (found.name if found else None) == canonical


def test_which_documents_govern_a_citizen():
    assert regions.applies("全国", "郑州市") and regions.applies("全国", None)
    assert regions.applies("广东省", "佛山市") and regions.applies("广东省", "佛山市南海区")
    assert not regions.applies("广东省", "郑州市") and not regions.applies("广州市", "佛山市")
    assert not regions.applies("广东省", None) and not regions.applies("广东省", regions.OTHER)
    assert not regions.applies("某某市", "佛山市")  # a region no data set knows governs nobody it cannot place


def _hit(doc_id: str, score: float) -> Hit:
    return Hit(Clause(f"{doc_id}.a1", "", "text", ["第一条"], doc_id=doc_id), doc_id, score)


DOC_REGIONS = {"gd": "广东省", "gz": "广州市", "nat": "全国", "gd-notice": "广东省", "nat-forwarded": "全国"}
SOURCES = {"gd": "gd.txt", "gz": "gz.txt", "nat": "nat.txt", "gd-notice": "notice.md", "nat-forwarded": "notice.md"}


def test_unknown_region_and_a_local_rule_on_top_asks():
    choice = regions.choose([_hit("gd", 1.5), _hit("nat", 1.3)], DOC_REGIONS, SOURCES, None)
    assert choice.ask and choice.local_of == "广东省"


def test_no_need_to_ask_when_national_rule_is_best_or_the_local_text_forwards_it_or_nothing_local_is_asked():
    assert not regions.choose([_hit("nat", 1.5), _hit("gd", 1.4)], DOC_REGIONS, SOURCES, None).ask
    general = regions.choose([_hit("gd", 1.5), _hit("nat", 1.3)], DOC_REGIONS, SOURCES, None, kind=None)
    assert not general.ask and general.local_of == "广东省"  # quoted, and said to be Guangdong's
    forwarding = [_hit("gd-notice", 1.43), _hit("nat", 1.3), _hit("nat-forwarded", 1.1)]
    assert not regions.choose(forwarding, DOC_REGIONS, SOURCES, None).ask


def test_citizen_gets_own_and_parent_rules_local_first():
    hits = [_hit("nat", 1.50), _hit("gd", 1.46), _hit("gz", 1.45), _hit("nat", 1.0)]
    choice = regions.choose(hits, DOC_REGIONS, SOURCES, "广州市")
    assert [h.clause.doc_id for h in choice.hits] == ["gz", "gd", "nat", "nat"] and not choice.no_local
    far = regions.choose([_hit("nat", 1.5), _hit("gd", 1.0)], DOC_REGIONS, SOURCES, "广州市")
    assert [h.clause.doc_id for h in far.hits] == ["nat", "gd"]  # a local clause far below is not pushed up


def test_region_without_local_rule_gets_national_ones_and_is_told():
    choice = regions.choose([_hit("gd", 1.5), _hit("gz", 1.4), _hit("nat", 1.3)], DOC_REGIONS, SOURCES, "郑州市")
    assert [h.clause.doc_id for h in choice.hits] == ["nat"] and choice.no_local
    assert regions.library_regions(DOC_REGIONS) == ["广东省", "广州市"]


def test_nlu_lookup_table_is_the_data_sets():
    """Regenerate with `python -m knowledge.regions data/nlu/regions.yml` when this fails."""
    assert (ROOT / "data" / "nlu" / "regions.yml").read_text("utf-8") == regions.nlu_lookup()


def test_retrieval_region_synonyms_are_the_data_sets_cities_of_library_regions():
    """lexicon/synonyms.yaml expands a city to its province so 「我在广州」 reaches 《广东省…条例》: exactly the data
    set's cities of the provinces the shipped library has local documents for."""
    synonyms = yaml.safe_load((ROOT / "knowledge" / "lexicon" / "synonyms.yaml").read_text("utf-8"))
    expanded = {k for k, v in synonyms.items() if len(v) == 1 and regions.get(v[0]) and regions.get(v[0]).level == "省"}
    assert expanded == {regions.get(c).short for c in regions.children("广东省")}
