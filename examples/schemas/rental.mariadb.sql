-- MariaDB/MySQL spelling. A DVD-rental schema in the style of Sakila/Pagila, written from scratch for Skyforge (Apache-2.0):
-- same shape (films, actors, categories, inventory, customers, rentals, payments), not their DDL.


CREATE TABLE language (
  language_id smallint AUTO_INCREMENT PRIMARY KEY,
  name        char(20) NOT NULL,
  last_update timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP
) ENGINE=InnoDB;

CREATE TABLE category (
  category_id smallint AUTO_INCREMENT PRIMARY KEY,
  name        varchar(25) NOT NULL UNIQUE,
  last_update timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP
) ENGINE=InnoDB;

CREATE TABLE actor (
  actor_id    int AUTO_INCREMENT PRIMARY KEY,
  first_name  varchar(45) NOT NULL,
  last_name   varchar(45) NOT NULL,
  last_update timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP
) ENGINE=InnoDB;

CREATE TABLE film (
  film_id          int AUTO_INCREMENT PRIMARY KEY,
  title            varchar(255) NOT NULL,
  description      text,
  release_year     integer CHECK (release_year BETWEEN 1901 AND 2155),
  language_id      smallint NOT NULL,
  rental_duration  smallint NOT NULL DEFAULT 3 CHECK (rental_duration BETWEEN 1 AND 14),
  rental_rate      numeric(4,2) NOT NULL DEFAULT 4.99 CHECK (rental_rate >= 0),
  length           smallint CHECK (length > 0),
  replacement_cost numeric(5,2) NOT NULL DEFAULT 19.99,
  rating           ENUM('G', 'PG', 'PG-13', 'R', 'NC-17') DEFAULT 'G',
  last_update      timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  FOREIGN KEY (language_id) REFERENCES language (language_id)
) ENGINE=InnoDB;

CREATE TABLE film_actor (
  actor_id    integer NOT NULL,
  film_id     integer NOT NULL,
  last_update timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  PRIMARY KEY (actor_id, film_id),
  FOREIGN KEY (actor_id) REFERENCES actor (actor_id),
  FOREIGN KEY (film_id) REFERENCES film (film_id)
) ENGINE=InnoDB;

CREATE TABLE film_category (
  film_id     integer NOT NULL,
  category_id smallint NOT NULL,
  last_update timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  PRIMARY KEY (film_id, category_id),
  FOREIGN KEY (film_id) REFERENCES film (film_id),
  FOREIGN KEY (category_id) REFERENCES category (category_id)
) ENGINE=InnoDB;

CREATE TABLE country (
  country_id  smallint AUTO_INCREMENT PRIMARY KEY,
  country     varchar(50) NOT NULL,
  last_update timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP
) ENGINE=InnoDB;

CREATE TABLE city (
  city_id     int AUTO_INCREMENT PRIMARY KEY,
  city        varchar(50) NOT NULL,
  country_id  smallint NOT NULL,
  last_update timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  FOREIGN KEY (country_id) REFERENCES country (country_id)
) ENGINE=InnoDB;

CREATE TABLE address (
  address_id  int AUTO_INCREMENT PRIMARY KEY,
  address     varchar(50) NOT NULL,
  address2    varchar(50),
  district    varchar(20) NOT NULL,
  city_id     integer NOT NULL,
  postal_code varchar(10),
  phone       varchar(20) NOT NULL,
  last_update timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  FOREIGN KEY (city_id) REFERENCES city (city_id)
) ENGINE=InnoDB;

CREATE TABLE store (
  store_id    int AUTO_INCREMENT PRIMARY KEY,
  address_id  integer NOT NULL,
  last_update timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  FOREIGN KEY (address_id) REFERENCES address (address_id)
) ENGINE=InnoDB;

CREATE TABLE staff (
  staff_id    int AUTO_INCREMENT PRIMARY KEY,
  first_name  varchar(45) NOT NULL,
  last_name   varchar(45) NOT NULL,
  address_id  integer NOT NULL,
  email       varchar(50),
  store_id    integer NOT NULL,
  active      boolean NOT NULL DEFAULT true,
  username    varchar(16) NOT NULL,
  last_update timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  FOREIGN KEY (address_id) REFERENCES address (address_id),
  FOREIGN KEY (store_id) REFERENCES store (store_id)
) ENGINE=InnoDB;

CREATE TABLE customer (
  customer_id int AUTO_INCREMENT PRIMARY KEY,
  store_id    integer NOT NULL,
  first_name  varchar(45) NOT NULL,
  last_name   varchar(45) NOT NULL,
  email       varchar(50) UNIQUE,
  address_id  integer NOT NULL,
  active      boolean NOT NULL DEFAULT true,
  create_date date NOT NULL DEFAULT (CURRENT_DATE),
  last_update datetime DEFAULT CURRENT_TIMESTAMP,
  FOREIGN KEY (store_id) REFERENCES store (store_id),
  FOREIGN KEY (address_id) REFERENCES address (address_id)
) ENGINE=InnoDB;

CREATE TABLE inventory (
  inventory_id int AUTO_INCREMENT PRIMARY KEY,
  film_id      integer NOT NULL,
  store_id     integer NOT NULL,
  last_update  timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  FOREIGN KEY (film_id) REFERENCES film (film_id),
  FOREIGN KEY (store_id) REFERENCES store (store_id)
) ENGINE=InnoDB;

CREATE TABLE rental (
  rental_id    int AUTO_INCREMENT PRIMARY KEY,
  rental_date  timestamp NOT NULL,
  inventory_id integer NOT NULL,
  customer_id  integer NOT NULL,
  return_date  timestamp,
  staff_id     integer NOT NULL,
  last_update  timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  UNIQUE (rental_date, inventory_id, customer_id),
  FOREIGN KEY (inventory_id) REFERENCES inventory (inventory_id),
  FOREIGN KEY (customer_id) REFERENCES customer (customer_id),
  FOREIGN KEY (staff_id) REFERENCES staff (staff_id)
) ENGINE=InnoDB;

CREATE TABLE payment (
  payment_id   int AUTO_INCREMENT PRIMARY KEY,
  customer_id  integer NOT NULL,
  staff_id     integer NOT NULL,
  rental_id    integer,
  amount       numeric(5,2) NOT NULL CHECK (amount >= 0),
  payment_date timestamp NOT NULL,
  FOREIGN KEY (customer_id) REFERENCES customer (customer_id),
  FOREIGN KEY (staff_id) REFERENCES staff (staff_id),
  FOREIGN KEY (rental_id) REFERENCES rental (rental_id)
) ENGINE=InnoDB;
