#include <overworld/server/world/simulator.hpp>

#include <algorithm>
#include <cmath>

namespace overworld::world {

std::vector<std::string> const& simulator::district_names() {
  // District names in the style of Toontown Rewritten.
  static std::vector<std::string> const names{
      "Acrylic Acres", "Blam Canyon",   "Boingbury",     "Bounceboro",      "Fizzlefield", "Gulp Gulch",
      "Hiccup Hills",  "Kaboom Cliffs", "Splashport",    "Splat Summit",    "Thwackville", "Whoosh Rapids",
      "Zapwood",       "Zoink Falls",   "Welly Heights", "Boingy Acres",    "Blam Bluffs", "Kablam Knoll",
      "Fizzle Falls",  "Oof Valley",    "Splatville",    "Whizzle Heights", "Bonkton",     "Ker-Splash Cove"};
  return names;
}

simulator::simulator(simulator_options options, clock const& time)
    : options_(options), clock_(time), rng_(options.seed ? options.seed : std::random_device{}()) {
  auto const& names = district_names();
  std::size_t const n = std::clamp<std::size_t>(options_.districts, 1, 200);
  std::uniform_real_distribution<double> pop(40, 400);
  for (std::size_t i = 0; i < n; ++i) {
    sim_district d;
    d.name = i < names.size() ? names[i] : names[i % names.size()] + " " + std::to_string(i / names.size() + 1);
    d.population = pop(rng_);
    d.target = pop(rng_);
    d.doodles = make_doodles();
    d.silly.assign(options_.silly_teams.size(), 0.0);
    districts_.push_back(std::move(d));
  }
  step_field_offices(0, unix_seconds(clock_.now()));
}

std::vector<playground_doodles> simulator::make_doodles() {
  static constexpr std::string_view playgrounds[] = {"Toontown Central",    "Donald's Dock", "Daisy Gardens",
                                                     "Minnie's Melodyland", "The Brrrgh",    "Donald's Dreamland"};
  static constexpr std::string_view traits[] = {"Always Affectionate", "Often Affectionate", "Rarely Tired",
                                                "Always Playful",      "Rarely Bored",       "Sometimes Sad",
                                                "Rarely Hungry",       "Often Confused",     "Rarely Lonely"};
  std::uniform_int_distribution<int> hex(0, 15), pick(0, static_cast<int>(std::size(traits)) - 1), cost(20, 160);
  std::vector<playground_doodles> out;
  for (auto const pg : playgrounds) {
    playground_doodles p;
    p.playground = std::string{pg};
    for (int i = 0; i < 3; ++i) {
      doodle d;
      d.dna = "dl";
      for (int c = 0; c < 16; ++c) d.dna += "0123456789abcdef"[hex(rng_)];
      for (int t = 0; t < 2; ++t) {
        std::string trait{traits[pick(rng_)]};
        if (std::find(d.traits.begin(), d.traits.end(), trait) == d.traits.end()) d.traits.push_back(trait);
      }
      d.cost = std::int64_t{cost(rng_)} * 5;
      p.doodles.push_back(std::move(d));
    }
    out.push_back(std::move(p));
  }
  return out;
}

void simulator::step_field_offices(double seconds, std::int64_t now) {
  std::uniform_real_distribution<double> u(0, 1);
  // Annexes fall now and then; an office with none left lets its last groups finish, then closes.
  std::erase_if(offices_, [&](field_office const& fo) { return fo.expiring && now >= *fo.expiring; });
  for (auto& fo : offices_) {
    if (fo.annexes > 0 && u(rng_) < 0.01 * seconds) --fo.annexes;
    if (fo.annexes == 0 && !fo.expiring) {
      fo.open = false;
      fo.expiring = now + 120;
    }
    if (fo.annexes > 0 && u(rng_) < 0.005 * seconds) fo.open = !fo.open;
  }
  auto const zones = field_office_zones();
  while (offices_.size() < std::min(options_.field_offices, zones.size())) {
    int const zone = zones[std::uniform_int_distribution<std::size_t>(0, zones.size() - 1)(rng_)].first;
    if (std::any_of(offices_.begin(), offices_.end(), [zone](auto const& fo) { return fo.zone == zone; })) continue;
    field_office fo;
    fo.zone = zone;
    fo.dept = department::sellbot;
    fo.difficulty = std::uniform_int_distribution<int>(0, 2)(rng_);
    fo.annexes = std::uniform_int_distribution<int>(2, 8)(rng_);
    offices_.push_back(fo);
  }
}

void simulator::start_invasion(sim_district& d, std::int64_t now) {
  auto const cogs = cog_catalogue();
  std::uniform_int_distribution<std::size_t> pick(0, cogs.size() - 1);
  std::uniform_real_distribution<double> u(0, 1);
  auto const& cog = cogs[pick(rng_)];
  invasion inv;
  inv.cog = std::string{cog.name};
  inv.dept = cog.dept;
  double const kind = u(rng_);
  inv.skelecog = kind < 0.12;
  inv.v2 = !inv.skelecog && kind < 0.24;
  inv.mega = kind > 0.95;
  inv.started_at = now;
  if (inv.mega) {
    inv.total = 1'000'000;
    inv.ends_at = now + 3600;
    d.rate = 2.0;
  } else {
    std::uniform_int_distribution<int> size(10, 80);
    inv.total = std::int64_t{size(rng_)} * 100;  // 1,000 … 8,000 cogs, as in TTR
    d.rate = 0.5 + u(rng_) * 2.5;                // cogs per second
  }
  d.current = std::move(inv);
}

void simulator::start_invasions(std::size_t count) {
  auto const now = unix_seconds(clock_.now());
  for (auto& d : districts_) {
    if (count == 0) break;
    if (!d.current) {
      start_invasion(d, now);
      --count;
    }
  }
}

std::vector<std::pair<std::string, district_report>> simulator::step(double seconds) {
  auto const now = unix_seconds(clock_.now());
  std::uniform_real_distribution<double> u(0, 1);
  std::normal_distribution<double> noise(0, 3);
  std::vector<std::pair<std::string, district_report>> out;
  for (auto& d : districts_) {
    // Populations drift towards a target that itself moves now and then.
    if (u(rng_) < 0.01 * seconds) d.target = std::uniform_real_distribution<double>(20, 450)(rng_);
    d.population += (d.target - d.population) * std::min(1.0, 0.02 * seconds) + noise(rng_) * std::sqrt(seconds);
    d.population = std::clamp(d.population, 0.0, 500.0);
    if (d.current) {
      auto& inv = *d.current;
      inv.defeated += static_cast<std::int64_t>(d.rate * seconds * (0.5 + u(rng_)));
      bool const done = inv.mega ? (inv.ends_at && now >= *inv.ends_at) : inv.defeated >= inv.total;
      if (done) {
        d.current.reset();
      } else if (!inv.mega) {
        inv.defeated = std::min(inv.defeated, inv.total);
      }
    } else if (u(rng_) < options_.invasion_chance * seconds) {
      start_invasion(d, now);
    }
    district_report r;
    r.population = static_cast<std::int64_t>(d.population);
    r.status = district_status::online;
    r.current = d.current;
    r.doodles = d.doodles;
    // Silly points follow the crowd: about one point per toon every two seconds, spread over the teams.
    for (std::size_t t = 0; t < d.silly.size(); ++t) {
      d.silly[t] += d.population * seconds * 0.5 * u(rng_) * 2.0 / static_cast<double>(d.silly.size());
      r.silly.push_back({options_.silly_teams[t], static_cast<std::int64_t>(d.silly[t])});
    }
    out.emplace_back(d.name, std::move(r));
  }
  step_field_offices(seconds, now);
  for (std::size_t i = 0; i < offices_.size(); ++i) out[i % out.size()].second.field_offices.push_back(offices_[i]);
  return out;
}

}  // namespace overworld::world
