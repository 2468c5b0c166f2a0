// The JSON keys of the models every answer shares (models/common.hpp); fields.hpp has the rest.
#pragma once

#include "codec.hpp"

namespace overworld::coc::models_detail {

template <>
struct model<badge_urls> {
  static constexpr std::string_view name = "badgeUrls";
  static constexpr auto fields = std::make_tuple(
      field("small", &badge_urls::small), field("medium", &badge_urls::medium), field("large", &badge_urls::large));
};

template <>
struct model<icon_urls> {
  static constexpr std::string_view name = "iconUrls";
  static constexpr auto fields =
      std::make_tuple(field("tiny", &icon_urls::tiny), field("small", &icon_urls::small),
                      field("medium", &icon_urls::medium), field("large", &icon_urls::large));
};

template <>
struct model<label> {
  static constexpr std::string_view name = "label";
  static constexpr auto fields =
      std::make_tuple(field("id", &label::id), field("name", &label::name), field("iconUrls", &label::icon_urls));
};

template <>
struct model<location> {
  static constexpr std::string_view name = "location";
  static constexpr auto fields = std::make_tuple(
      field("id", &location::id), field("name", &location::name), field("isCountry", &location::is_country),
      field("countryCode", &location::country_code), field("localizedName", &location::localized_name));
};

template <>
struct model<language> {
  static constexpr std::string_view name = "language";
  static constexpr auto fields = std::make_tuple(field("id", &language::id), field("name", &language::name),
                                                 field("languageCode", &language::language_code));
};

template <>
struct model<league> {
  static constexpr std::string_view name = "league";
  static constexpr auto fields =
      std::make_tuple(field("id", &league::id), field("name", &league::name), field("iconUrls", &league::icon_urls));
};

template <>
struct model<league_season> {
  static constexpr std::string_view name = "league season";
  static constexpr auto fields = std::make_tuple(field("id", &league_season::id));
};

template <>
struct model<paging_cursors> {
  static constexpr std::string_view name = "cursors";
  static constexpr auto fields =
      std::make_tuple(field("before", &paging_cursors::before), field("after", &paging_cursors::after));
};

template <>
struct model<paging_info> {
  static constexpr std::string_view name = "paging";
  static constexpr auto fields = std::make_tuple(field("cursors", &paging_info::cursors));
};

template <>
struct model<player_house_element> {
  static constexpr std::string_view name = "player house element";
  static constexpr auto fields =
      std::make_tuple(field("id", &player_house_element::id), field("type", &player_house_element::type));
};

template <>
struct model<player_house> {
  static constexpr std::string_view name = "player house";
  static constexpr auto fields = std::make_tuple(field("elements", &player_house::elements));
};

template <class T>
struct model<list<T>> {
  static constexpr std::string_view name = "list";
  static constexpr auto fields = std::make_tuple(field("items", &list<T>::items), field("paging", &list<T>::paging));
};

}  // namespace overworld::coc::models_detail
