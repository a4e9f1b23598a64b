<?php
/**
 * Plugin Name: SG pair offer
 * Description: A fixture: 1.1.0 offers a text to the sg_pair_banner filter, which shows nothing on its own.
 * Version: 1.1.0
 */

add_filter( 'sg_pair_banner', function () {
	return 'Free shipping this week';
} );
