def test_world_builds_two_zones_with_their_people(world):
    assert world.zone.path.startswith(world.county.path)
    assert world.owner.roles.get().org == world.zone
