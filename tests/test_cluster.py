from datetime import date

from newsweave.cluster import STORY_WINDOW_DAYS, group_stories

from .test_store import make_article

QUAKE = "A strong earthquake struck {place} on {day}, killing {n} people, officials in {place} said, as rescue teams searched the rubble."


def quake(place, n, day, published, outlet):
    return make_article(" ".join(QUAKE.format(place=place, n=n, day=day) for _ in range(3)), outlet=outlet, published=published, title=f"Quake in {place}")


TURKEY = ("The magnitude 5.9 earthquake in Malatya province flattened apartment blocks in Doğanşehir, and the interior "
          "ministry said 32 people died. Turkish rescue crews worked through the night near the East Anatolian Fault.")
ECUADOR = ("Adobe houses collapsed across Chimborazo province after the magnitude 6.3 quake in the Ecuadorian Andes, "
           "killing 11. Landslides cut the Pan-American Highway south of Riobamba, Ecuador's risk agency said.")


def test_two_earthquakes_in_different_places_are_two_stories():
    articles = [
        make_article(TURKEY, outlet="A", published=date(2025, 10, 22)), make_article(TURKEY + " Aftershocks followed.", outlet="B", published=date(2025, 10, 23)),
        make_article(ECUADOR, outlet="C", published=date(2025, 10, 30)), make_article(ECUADOR + " Schools closed.", outlet="D", published=date(2025, 10, 30)),
    ]
    stories = group_stories(articles)
    assert sorted(sorted(a.outlet for a in s.articles) for s in stories) == [["A", "B"], ["C", "D"]]


def test_a_story_keeps_the_id_of_its_oldest_article_when_coverage_is_added():
    first = quake("Malatya", 30, "Wednesday", date(2025, 10, 22), "A")
    later = quake("Malatya", 32, "Wednesday", date(2025, 10, 23), "B")
    [alone] = group_stories([first])
    [together] = group_stories([later, first])
    assert alone.id == together.id and together.articles[0] == first


def test_articles_further_apart_than_the_window_never_join():
    a = quake("Malatya", 30, "Wednesday", date(2025, 1, 1), "A")
    b = quake("Malatya", 30, "Wednesday", date(2025, 1, 1 + STORY_WINDOW_DAYS + 1), "B")
    assert len(group_stories([a, b])) == 2
